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

type Action = "run" | "open";

/**
 * The one-click actions on a template: "Run" creates a pipeline from it, starts a run and opens
 * the run's dashboard; "Open in editor" (optional) creates it and opens the editor. Buttons are
 * named after the template (aria-label) so that every card's are told apart.
 */
export function TemplateActions({ template, withOpen = false }: { template: TemplateInfo; withOpen?: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: Action) => {
    setBusy(action);
    setError(null);
    const what =
      action === "run" ? `Could not run ${template.name}` : `Could not create a pipeline from ${template.name}`;
    try {
      const res = await fetch("/api/pipelines", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(action === "run" ? { template: template.id, start: true } : { template: template.id }),
      });
      // A proxy or a crash can answer with something other than JSON: report the status then.
      const answer = (await res.json().catch(() => null)) as CreateAnswer | null;
      const target =
        action === "run" ? answer?.runId && `/runs/${answer.runId}` : answer?.id && `/pipelines/${answer.id}`;
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
