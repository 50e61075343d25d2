// `npm run replay -- <runId> <document.json>`: see server/runs/replay/cli.ts. Exit code 0 when
// the document's outputs equal the run's over its recorded batches, 1 when they differ, 2 on error.
import { tsImport } from "tsx/esm/api";

const { main } = await tsImport("../server/runs/replay/cli.ts", import.meta.url);
// Exits at once: the database driver and the replay process's handles must not hold the process.
process.exit(await main(process.argv.slice(2)));
