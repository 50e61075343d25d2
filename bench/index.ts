/**
 * `npm run bench [filter]`: runs every `bench/*.bench.ts` module (or only those whose file name
 * contains `filter`) and prints its figures: first `realistic` (the fraud templates as users run
 * them, beside a hand-written loop), then the others, microbenchmarks among them, in name order. Benchmarks print numbers; they
 * never pass or fail, so that shared, noisy machines cannot make the test suite flaky.
 */
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

export interface BenchModule {
  /** A title for the section this module prints. */
  readonly title: string;
  /** Runs the benchmark and prints its own table of figures. */
  run(): Promise<void>;
}

const dir = import.meta.dirname;
const filter = process.argv[2] ?? "";
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && f.includes(filter))
  .sort((a, b) => Number(b.startsWith("realistic")) - Number(a.startsWith("realistic")) || a.localeCompare(b));

console.log(
  `Machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
);
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: BenchModule };
  console.log(`\n## ${mod.default.title} (${file})`);
  await mod.default.run();
}
