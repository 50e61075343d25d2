"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TemplateInfo } from "./templateInfo";

/** What POST /api/pipelines answers, success or not (see app/api/pipelines/route.ts). */
interface CreateAnswer {
  id?: string;
  runId?: string;
  error?: string;
  issues?: { path: (string | number)[] | string; message: string }[];
  diagnostics?: { severity: string; message: string }[];
}

/** The server's reason, with the details it gave (validation issues, the pipeline's errors). */
function reason(res: Response, answer: CreateAnswer | null): string {
  const main = answer?.error ?? `HTTP ${res.status} ${res.statusText}`;
  const details = [
    ...(answer?.issues ?? []).map((i) => `${Array.isArray(i.path) ? i.path.join(".") : i.path}: ${i.message}`),
    ...(answer?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message),
  ].filter((d) => !main.includes(d));
  return details.length > 0 ? `${main} (${details.join("; ")})` : main;
}

type Action = "run" | "copy" | "open";

/**
 * The one-click actions on a template: "Run" runs the pipeline made from it before (or creates
 * it), and opens the run's dashboard; "Run a new copy" makes another pipeline from it first;
 * "Open in editor" (optional) creates one and opens the editor. Buttons are
 * named after the template (aria-label) so that every card's are told apart.
 */
export function TemplateActions({ template, withOpen = false }: { template: TemplateInfo; withOpen?: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: Action) => {
    setBusy(action);
    setError(null);
    const what = action === "open" ? `Could not create a pipeline from ${template.name}` : `Could not run ${template.name}`;
    const body = action === "run" ? { template: template.id, start: true } : action === "copy" ? { template: template.id, start: true, copy: true } : { template: template.id };
    try {
      const res = await fetch("/api/pipelines", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      // A proxy or a crash can answer with something other than JSON: report the status then.
      const answer = (await res.json().catch(() => null)) as CreateAnswer | null;
      const target = action === "open" ? answer?.id && `/pipelines/${answer.id}` : answer?.runId && `/runs/${answer.runId}`;
      if (!res.ok || !target) {
        setError(`${what}: ${reason(res, answer)}`);
        setBusy(null);
        return;
      }
      // Stays busy until the next page replaces this one, so a second click cannot start a second run.
      router.push(target);
    } catch (err) {
      setError(`${what}: ${(err as Error).message}`);
      setBusy(null);
    }
  };

  return (
    <>
      <div className="template-actions">
        <button
          type="button"
          className="button primary"
          aria-label={`Run ${template.name}`}
          disabled={busy !== null}
          onClick={() => void act("run")}
        >
          {busy === "run" ? "Starting…" : "Run"}
        </button>
        <button
          type="button"
          className="button"
          aria-label={`Run a new copy of ${template.name}`}
          title="Make another pipeline from this example and run it"
          disabled={busy !== null}
          onClick={() => void act("copy")}
        >
          {busy === "copy" ? "Starting…" : "Run a new copy"}
        </button>
        {withOpen ? (
          <button
            type="button"
            className="button"
            aria-label={`Open in editor: ${template.name}`}
            disabled={busy !== null}
            onClick={() => void act("open")}
          >
            {busy === "open" ? "Creating…" : "Open in editor"}
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="action-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

/** A template offered on the home page: name, description, what to expect, Run and Open in editor. */
export function TemplateCard({ template }: { template: TemplateInfo }) {
  return (
    <li className="card template-card" data-testid={`template-${template.id}`}>
      <h3>{template.name}</h3>
      <p>{template.description}</p>
      {template.note ? <p className="template-note">{template.note}</p> : null}
      <TemplateActions template={template} withOpen />
    </li>
  );
}
