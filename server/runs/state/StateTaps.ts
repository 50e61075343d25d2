import type { DStream } from "../../../engine/dstream/DStream";
import { nodeDefinition } from "../../../engine/pipeline/catalog";
import type { PipelineDocument } from "../../../engine/pipeline/document";
import { StateTracker } from "./StateTracker";
import { answerStateQuery } from "./answer";
import { MAX_STORED_STATE_KEYS, type StateChangeCounts, type StateQuery, type StateResult, type StateStreamInfo, type StoredStateSnapshot } from "./types";


/** The stream holding a state node's whole state each batch: mapWithState's snapshots, else its output. */
function stateStreamOf(outputs: readonly { name: string }[]): string | undefined {
  if (outputs.some((o) => o.name === "snapshots")) return "snapshots";
  return outputs.some((o) => o.name === "out") ? "out" : undefined;
}

/**
 * Lives in a run's worker: taps the state stream of every node of the State category with a
 * foreachRDD that feeds a StateTracker, reports each batch's change counts, and answers the
 * hub's paged queries. Windowed nodes are stateful too, but their state is a window, not keys.
 */
export class StateTaps {
  private readonly trackers = new Map<string, { tracker: StateTracker; info: StateStreamInfo }>();

  constructor(
    document: PipelineDocument,
    streams: ReadonlyMap<string, DStream<unknown>>,
    onBatch: (streamId: string, batchTimeMs: number, counts: StateChangeCounts) => void,
  ) {
    for (const node of document.nodes) {
      const def = nodeDefinition(node.kind);
      if (!def || def.category !== "State") continue;
      const config = def.config.parse(node.config) as Record<string, unknown>;
      if (!(def.stateful?.(config) ?? false)) continue;
      const port = stateStreamOf(def.outputs);
      const stream = port && streams.get(`${node.id}:${port}`);
      if (!stream) continue;
      const streamId = `${node.id}:${port}`;
      const timeoutMs = typeof config.timeoutMs === "number" ? config.timeoutMs : undefined;
      const tracker = new StateTracker({ timeoutMs });
      const info: StateStreamInfo = { streamId, nodeId: node.id, kind: node.kind, label: node.label ?? def.label, keys: 0, timeoutMs };
      this.trackers.set(streamId, { tracker, info });
      // A stable id, so that a rebuilt graph (recovery from a checkpoint) has the same streams.
      stream
        .foreachRDD((rdd, time) => {
          const counts = tracker.apply(time.milliseconds, rdd.collect());
          onBatch(streamId, time.milliseconds, counts);
        })
        .withId(`${node.id}:stateTap`);
    }
  }

  get streamIds(): string[] {
    return [...this.trackers.keys()];
  }

  query(q: StateQuery): StateResult {
    return answerStateQuery(this.trackers, q);
  }

  /** Each stream's newest snapshot as plain data (streams with no batch yet left out), for the hub to store. */
  snapshot(maxKeys = MAX_STORED_STATE_KEYS): StoredStateSnapshot[] {
    const out: StoredStateSnapshot[] = [];
    for (const { tracker, info } of this.trackers.values()) {
      const { batchTimeMs, entries, truncated } = tracker.export(maxKeys);
      if (batchTimeMs === undefined) continue;
      out.push({ info: { ...info, keys: tracker.size, batchTimeMs }, batchTimeMs, entries, truncated });
    }
    return out;
  }
}
