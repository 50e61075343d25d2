"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { TemplateActions } from "@/components/pipelines/TemplateCard";
import { allTemplates } from "@/components/pipelines/templateInfo";

// Every template the API accepts, named and described by its own document.
const TEMPLATES = allTemplates();

/** Creates a pipeline from a template or an imported file, then opens it in the editor. */
export function NewPipeline() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const create = async (body: unknown) => {
    setError(null);
    const res = await fetch("/api/pipelines", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = (await res.json()) as { id?: string; error?: string; issues?: { path: string; message: string }[] };
    if (!res.ok || !json.id) return setError(`${json.error ?? res.statusText}${json.issues ? `: ${json.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}` : ""}`);
    router.push(`/pipelines/${json.id}`);
  };
  return (
    <>
      <ul className="card-list template-grid" data-testid="templates">
        {TEMPLATES.map((t) => (
          <li key={t.id} className="card" data-testid={`template-${t.id}`}>
            <h2>{t.name}</h2>
            <p>{t.description}</p>
            {t.note ? <p className="template-note">{t.note}</p> : null}
            <div className="template-actions">
              <button type="button" className="button primary" onClick={() => void create({ template: t.id })} aria-label={`Create from ${t.name}`}>Create</button>
            </div>
            {/* A blank canvas has nothing to run. */}
            {t.id === "blank" ? null : <TemplateActions template={t} />}
          </li>
        ))}
      </ul>
      <p>
        <label className="button">
          Import a .json file
          <input type="file" accept=".json,application/json" hidden data-testid="import-new" onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            try {
              await create(JSON.parse(await file.text()));
            } catch (err) {
              setError(`${file.name} is not JSON: ${(err as Error).message}`);
            }
          }} />
        </label>
      </p>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </>
  );
}
