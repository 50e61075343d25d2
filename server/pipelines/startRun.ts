import type { NextResponse } from "next/server";
import { diagnose, hasErrors, type Diagnostic } from "../../engine/pipeline/diagnostics";
import type { PipelineDocument } from "../../engine/pipeline/document";
import { vmSyntaxChecker } from "../../engine/pipeline/userFunction";
import { services, type Services } from "../services";
import { problem } from "./http";

/**
 * What the route handlers that start runs share (POST /api/pipelines/:id/run and
 * POST /api/pipelines with `start: true`): the run hub and the rule that a document with
 * errors never runs. Nothing here writes, so a refused request leaves the database as it was.
 */

type Refusal = { ok: false; response: NextResponse };

/** The run hub, or a 503 that says why runs are unavailable. */
export function runHub(): { ok: true; runs: Services["runs"] } | Refusal {
  // services() without a hub happens under `next start` or in tests that register only a database.
  const runs = (services() as Partial<Services>).runs;
  if (runs) return { ok: true, runs };
  return {
    ok: false,
    response: problem(503, "runs are not available: this server has no run hub; start the app with `npm start`"),
  };
}

/**
 * Whether `document` may run now: 422 with the diagnostics while it has errors, else 503 when
 * there is no run hub. On success gives the hub and the diagnostics (warnings only).
 */
export function checkRunnable(
  document: PipelineDocument,
): { ok: true; runs: Services["runs"]; diagnostics: Diagnostic[] } | Refusal {
  const diagnostics = diagnose(document, { checkSyntax: vmSyntaxChecker });
  if (hasErrors(diagnostics)) {
    const count = diagnostics.filter((d) => d.severity === "error").length;
    return {
      ok: false,
      response: problem(422, `the pipeline has ${count} error${count === 1 ? "" : "s"}; fix them before running`, {
        diagnostics,
      }),
    };
  }
  const hub = runHub();
  if (!hub.ok) return hub;
  return { ok: true, runs: hub.runs, diagnostics };
}
