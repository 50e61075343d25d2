import path from "node:path";
import { buildProcessBundle } from "../process/bundle";

/**
 * The replay process's code as one ES module (replayWorker.ts and the engine), built as the run
 * process's is: a replay process then reads this file and node_modules only.
 */
export function buildReplayBundle(root: string): string {
  return buildProcessBundle(root, path.join("server", "runs", "replay", "replayWorker.ts"), "replay.mjs");
}
