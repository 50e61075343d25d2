import { buildSync } from "esbuild";
import path from "node:path";

/**
 * The replay process's code as one ES module (replayWorker.ts and the engine), built like the
 * run process's (../process/bundle.ts): a replay process then reads this file and node_modules only.
 */
export function buildReplayBundle(root: string): string {
  const outfile = path.join(root, ".cache", "run-process", "replay.mjs");
  buildSync({
    entryPoints: [path.join(root, "server", "runs", "replay", "replayWorker.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "error",
  });
  return outfile;
}
