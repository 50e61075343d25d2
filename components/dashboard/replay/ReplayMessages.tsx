import type { ReplayNodeError } from "@/engine/replay/types";

const SIDE = { before: "the run's document", after: "the pipeline now" } as const;

/** The user-function errors and the notes of both replays (sources not recorded, outputs kept from writing). */
export function ReplayMessages({ errors, notes }: { errors: { before: ReplayNodeError[]; after: ReplayNodeError[] }; notes: { before: string[]; after: string[] } }) {
  const allNotes = [...new Set([...notes.before, ...notes.after])];
  return (
    <>
      {allNotes.length > 0 && (
        <ul className="replay-notes">
          {allNotes.map((n) => (
            <li key={n} className="muted">
              {n}
            </li>
          ))}
        </ul>
      )}
      {(["before", "after"] as const).map((side) =>
        errors[side].slice(0, 20).map((e, i) => (
          <p key={`${side}${i}`} className="error-text">
            In {SIDE[side]}: node {e.nodeId}
            {e.field ? ` (${e.field})` : ""}: {e.message}
          </p>
        )),
      )}
    </>
  );
}
