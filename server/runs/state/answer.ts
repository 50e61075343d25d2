import type { StateTracker } from "./StateTracker";
import type { StateQuery, StateResult, StateStreamInfo } from "./types";

/** State trackers by stream id, with what the dashboard lists of each. */
export type TrackedStreams = ReadonlyMap<string, { tracker: StateTracker; info: StateStreamInfo }>;

/** Answers a dashboard's state query from trackers: those of a live run, or those restored from its stored snapshot. */
export function answerStateQuery(trackers: TrackedStreams, q: StateQuery): StateResult {
  if (q.kind === "list") {
    return {
      kind: "list",
      streams: [...trackers.values()].map(({ tracker, info }) => ({ ...info, keys: tracker.size, batchTimeMs: tracker.batchTimeMs })),
    };
  }
  const found = trackers.get(q.streamId);
  if (!found) {
    const known = [...trackers.keys()];
    throw new Error(`no state stream "${q.streamId}" in this run (${known.length ? `state streams: ${known.join(", ")}` : "it has no state node"})`);
  }
  switch (q.kind) {
    case "page":
      return found.tracker.page(q);
    case "diff":
      return found.tracker.diff(q);
    case "series":
      return found.tracker.topSeries(q.streamId, q.top);
  }
}
