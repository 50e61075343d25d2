"use client";
import { memo } from "react";
import type { Diagnostic } from "@/engine/pipeline/diagnostics";

/** Every diagnostic of the document; clicking one selects its node. */
function ProblemsListImpl({ diagnostics, onSelect }: { diagnostics: Diagnostic[]; onSelect: (nodeId: string) => void }) {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return (
    <section className="problems" data-testid="problems">
      <h3>
        Problems <span className="count">{errors} errors, {warnings} warnings</span>
      </h3>
      {diagnostics.length === 0 ? <p className="muted small">No problems: the pipeline can run.</p> : null}
      <ul>
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity} data-code={d.code}>
            <button type="button" onClick={() => d.nodeId && onSelect(d.nodeId)} disabled={!d.nodeId}>
              <span className="sev">{d.severity}</span> {d.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
export const ProblemsList = memo(ProblemsListImpl);
