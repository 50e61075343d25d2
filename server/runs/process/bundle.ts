import { build, buildSync, type BuildOptions, type Plugin } from "esbuild";
import path from "node:path";

/**
 * The run process's code as one ES module, built from server/runs/worker.ts and the engine by
 * esbuild (packages stay in node_modules). A run process then reads this file and node_modules
 * only, needs no TypeScript loader (a loader wants to read the whole app's folders) and starts
 * without compiling anything. Built once per hub, in about a tenth of a second.
 */
export function buildRunBundle(root: string): string {
  return buildProcessBundle(root, path.join("server", "runs", "worker.ts"), "worker.mjs");
}

/** Any process entry (a run's, a replay's) bundled the same way into .cache/run-process/`name`. */
export function buildProcessBundle(root: string, entry: string, name: string): string {
  const outfile = path.join(root, ".cache", "run-process", name);
  buildSync(bundleOptions(root, outfile, entry));
  return outfile;
}

/** A run bundle with modules swapped for others (a benchmark's baseline; see bench/userfn.bench.ts). */
export async function buildRunBundleWith(root: string, outfile: string, alias: Record<string, string>): Promise<string> {
  await build({ ...bundleOptions(root, outfile), plugins: [aliasPlugin(alias)] });
  return outfile;
}

function bundleOptions(root: string, outfile: string, entry = path.join("server", "runs", "worker.ts")): BuildOptions {
  return {
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "error",
  };
}

/** Resolves relative imports whose absolute path is a key of `alias` to its value instead. */
function aliasPlugin(alias: Record<string, string>): Plugin {
  return {
    name: "alias",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        // The substitute itself still reaches the module it stands in for.
        if (!args.path.startsWith(".") || Object.values(alias).includes(args.importer)) return undefined;
        const resolved = path.resolve(args.resolveDir, args.path);
        const target = alias[resolved] ?? alias[`${resolved}.ts`];
        return target ? { path: target } : undefined;
      });
    },
  };
}
