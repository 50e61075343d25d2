// A run process's entry (started by process/RunProcess.ts under Node's permission model).
// Starts the sentinel thread first, then loads the run's bundle (process/bundle.ts), whose path
// is the first argument.
import { Worker } from "node:worker_threads";

// Shared with the run's main thread: [busy node, last node, batch started at (epoch ms)].
const cells = new Float64Array(new SharedArrayBuffer(3 * 8));
globalThis.__runCells = cells;

// The sentinel reports the cells on fd 3 four times a second, from its own thread, so the hub
// learns which node is inside user code even when that code never returns.
const sentinel = new Worker(
  `const { workerData } = require("node:worker_threads");
   const fs = require("node:fs");
   const cells = new Float64Array(workerData);
   const report = () => { try { fs.writeSync(3, cells[0] + " " + cells[1] + " " + cells[2] + "\\n"); } catch { process.exit(0); } };
   report();
   setInterval(report, 250);`,
  { eval: true, workerData: cells.buffer },
);
sentinel.unref();

await import(process.argv[2]);
