// What `npm test` and `.ci/run` need before any suite starts: the tools (prerequisites.mjs,
// installed with apt-get when allowed) and the servers' jars (artifacts.mjs, fetched once into
// .cache). `node scripts/setup/index.mjs` runs it alone.
import { pathToFileURL } from "node:url";
import { fetchAllJars } from "./artifacts.mjs";
import { ensureTools } from "./prerequisites.mjs";

/**
 * Resolves to { ok: true, env } (variables for the suites) or { ok: false, message } with one
 * message saying what is missing and how to install it.
 */
export async function prepare({ env = process.env, log = (line) => console.log(`[setup] ${line}`) } = {}) {
  const tools = await ensureTools({ env, log });
  if (!tools.ok) return tools;
  try {
    await fetchAllJars(log);
  } catch (error) {
    return {
      ok: false,
      message: `npm test could not fetch the servers' jars from Maven Central: ${error instanceof Error ? error.message : error}`,
    };
  }
  return tools;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await prepare();
  if (!result.ok) {
    console.error(result.message);
    process.exit(1);
  }
}
