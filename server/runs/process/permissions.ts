import fs from "node:fs";
import path from "node:path";
import type { PipelineDocument } from "../../../engine/pipeline/document";

/**
 * What a run process may touch, from Node's permission model: it reads the engine's code and
 * its packages, the directories its text-file sources watch and nothing else (not the database,
 * not the server's sources or secrets); it writes only its checkpoint directory and the
 * directories its file outputs write to; it starts no child process. Workers are allowed for
 * its own sentinel thread (see run-entry.mjs): a worker inherits the same limits.
 */
export interface RunPermissions {
  execArgv: string[];
  /** Every path the run may read or write. */
  paths: string[];
  /** Folders to create (and hand to the run's user) before it starts. */
  writable: string[];
}

/**
 * What a run process may read: its entry, its bundle and the packages. The entry is
 * server/runs/run-entry.mjs, or a test's stand-in read from its own folder.
 */
export function runPermissions(root: string, document: PipelineDocument, checkpointDir: string | undefined, entry: string, bundle: string): RunPermissions {
  const readable = [entry, bundle, path.join(root, "node_modules")];
  const writable: string[] = [];
  for (const node of document.nodes) {
    const config = node.config as Record<string, unknown>;
    if (node.kind === "textFiles" && typeof config.directory === "string") readable.push(path.resolve(root, config.directory));
    if ((node.kind === "saveAsTextFiles" || node.kind === "saveAsObjectFiles") && typeof config.prefix === "string") {
      writable.push(path.dirname(path.resolve(root, config.prefix)));
    }
  }
  if (checkpointDir) writable.push(checkpointDir);
  // One flag per path (a comma-separated list is refused by Node 20.20 and later); a folder as `<folder>/*`.
  const flags = (flag: string, paths: string[]) => paths.map((p) => `${flag}=${isDirectory(p) || (!path.extname(p) && !fs.existsSync(p)) ? `${p}/*` : p}`);
  return {
    execArgv: [
      "--experimental-permission",
      ...flags("--allow-fs-read", [...readable, ...writable]),
      ...flags("--allow-fs-write", writable),
      "--allow-worker",
      // The permission model's notice is Node's own, not the run's; errors and other warnings still show.
      "--disable-warning=ExperimentalWarning",
      // --allow-worker is for the sentinel; a worker inherits these same limits (tests/integration/sandbox.test.ts).
      "--disable-warning=SecurityWarning",
    ],
    paths: [...readable, ...writable],
    writable,
  };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The user a run process runs as: when the server runs as root, `nobody` (65534), if that user
 * can reach Node itself and every path the run reads or writes (every folder above them
 * searchable by others); otherwise the server's own user, and the permission model is the only
 * fence.
 */
export function runUser(paths: string[]): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const reachable = (file: string) => {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      try {
        if ((fs.statSync(dir).mode & 0o001) === 0) return false;
      } catch {
        return false;
      }
      if (dir === path.dirname(dir)) return true;
    }
  };
  return [process.execPath, ...paths].every(reachable) ? { uid: 65534, gid: 65534 } : undefined;
}
