/**
 * Dashboard render cost in the browser: the real server (production build, fresh database on a
 * loopback port), a busy run (the sample pipeline, random transactions 50 times faster, 200 ms
 * batches), and its run page open in the system's Chromium. Over a measured window it reads
 * Chromium's own main-thread metrics (script, layout, style time) and counts the page's React
 * commits (DOM mutation batches), giving the main thread's load and the cost of one rendered
 * frame. Bounded: about a minute plus the build if the sources changed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import type { BenchModule } from "./index";
import { sampleTransactionsPipeline } from "../engine/pipeline/samples";

const PORT = 3210;
const BASE = `http://127.0.0.1:${PORT}`;
const WARMUP_MS = 5_000;
const MEASURE_MS = 20_000;

async function waitForServer(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    const up = await fetch(`${BASE}/api/health`).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not answer on ${BASE}`);
}

type Metrics = Record<string, number>;

async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dss-render-bench-"));
  const server = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", DATABASE_URL: `file:${dir}/studio.db` },
    stdio: "ignore",
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    await waitForServer(server);
    const doc = structuredClone(sampleTransactionsPipeline);
    doc.name = "render bench";
    doc.settings.batchIntervalMs = 200;
    doc.nodes[0].config = { mode: "random", timeScale: 50, seed: 7 };
    const created = (await (await fetch(`${BASE}/api/pipelines`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(doc) })).json()) as { id: string };
    const started = (await (await fetch(`${BASE}/api/pipelines/${created.id}/run`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: "start" }) })).json()) as { runId: string };

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${BASE}/runs/${started.runId}`);
    await page.getByTestId("run-dashboard").waitFor();
    await page.waitForTimeout(WARMUP_MS);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const read = async (): Promise<Metrics> =>
      Object.fromEntries(((await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
    // Each React commit that changes the DOM gives one MutationObserver callback.
    await page.evaluate(() => {
      const w = window as unknown as { __commits: number };
      w.__commits = 0;
      new MutationObserver(() => void w.__commits++).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const before = await read();
    await page.waitForTimeout(MEASURE_MS);
    const after = await read();
    const commits = await page.evaluate(() => (window as unknown as { __commits: number }).__commits);
    const d = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
    const seconds = MEASURE_MS / 1000;
    const busy = d("ScriptDuration") + d("LayoutDuration") + d("RecalcStyleDuration");
    console.log("| browser figure (run page of a run with 200 ms batches, 20 s measured) | value |");
    console.log("|---|---:|");
    console.log(`| React commits (DOM updates) per second | ${(commits / seconds).toFixed(1)} |`);
    console.log(`| main thread: script + style + layout, % of wall time | ${((busy / seconds) * 100).toFixed(1)} % |`);
    console.log(`| of which script / style / layout (ms per second) | ${((d("ScriptDuration") / seconds) * 1000).toFixed(0)} / ${((d("RecalcStyleDuration") / seconds) * 1000).toFixed(0)} / ${((d("LayoutDuration") / seconds) * 1000).toFixed(0)} |`);
    console.log(`| cost of one rendered frame (script + style + layout per commit) | ${commits > 0 ? ((busy / commits) * 1000).toFixed(1) : "n/a"} ms |`);
    console.log(`| JS heap used at the end | ${((after.JSHeapUsedSize ?? 0) / 2 ** 20).toFixed(1)} MiB |`);
    await fetch(`${BASE}/api/pipelines/${created.id}/run`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: "stop", runId: started.runId }) });
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const bench: BenchModule = { title: "Dashboard rendering in Chromium", run };
export default bench;
