"use client";
import { memo } from "react";
import type { PrintedBatch } from "@/server/runs/types";

/** What print nodes printed, newest batch last, as Spark's console shows it. */
function RunConsoleImpl({ status, runId, printed }: { status: string; runId: string | null; printed: PrintedBatch[] }) {
  return (
    <section className="run-console" data-testid="run-console">
      <h3>
        Console <span className="count" data-testid="run-status">{runId ? status : "not running"}</span>
      </h3>
      <pre tabIndex={0} aria-label="Run console">
        {printed.length === 0 ? "Run the pipeline to see what its print nodes print.\n" : null}
        {printed.slice(-30).map((p) => `[${p.nodeId}]\n${p.lines.join("\n")}\n`).join("\n")}
      </pre>
    </section>
  );
}
export const RunConsole = memo(RunConsoleImpl);
