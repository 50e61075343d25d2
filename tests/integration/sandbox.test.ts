import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument, type PipelineNode } from "@/engine/pipeline/document";
import { RunHub, type RunBroadcaster } from "@/server/runs/RunHub";
import type { NodeErrorReport, PrintedBatch, RunStatus } from "@/server/runs/types";
import { until, useFreshDatabase } from "./helpers/runs";

// Red team: known ways out of a JavaScript sandbox, each run as a user function through the real
// run path (the hub, a run process under Node's permission model, SES compartments). Each attack
// would write a marker file, change the server's globals or another run's output if it got
// out; each must instead end as a node error naming its node (or be contained and say so), while
// a healthy run beside them prints exactly what it should.

const markerDir = fs.mkdtempSync(path.join(os.tmpdir(), "dss-sandbox-marker-"));
fs.chmodSync(markerDir, 0o777); // writable by anyone: only the sandbox may stop a write here
const MARKER = path.join(markerDir, "escaped");
const WRITE = `.mainModule.require("fs").writeFileSync(${JSON.stringify(MARKER)}, "x")`;

/** Attacks on a map node whose input is `{ a: 1, list: [1, 2], s: "x" }`. `contained`: no error expected, the output shows it was contained. */
const attacks: { name: string; fn: string; error?: RegExp; contained?: string }[] = [
  { name: "record constructor chain", fn: `(r) => r.constructor.constructor("return process")()${WRITE}`, error: /not a valid constructor/ },
  { name: "array constructor chain", fn: `(r) => r.list.constructor.constructor("return process")()${WRITE}`, error: /not a valid constructor/ },
  { name: "string constructor chain", fn: `(r) => r.s.constructor.constructor("return process")()${WRITE}`, error: /not a valid constructor/ },
  { name: "method of an array", fn: `(r) => r.list.map.constructor("return process")()${WRITE}`, error: /not a valid constructor/ },
  { name: "own arrow function", fn: `(r) => (() => 0).constructor("return process")()${WRITE}`, error: /not a valid constructor/ },
  { name: "AsyncFunction", fn: `(r) => Object.getPrototypeOf(async () => 0).constructor("return process")()`, error: /not a valid constructor/ },
  { name: "GeneratorFunction", fn: `(r) => Object.getPrototypeOf(function* () {}).constructor("return process")()`, error: /not a valid constructor/ },
  { name: "AsyncGeneratorFunction", fn: `(r) => Object.getPrototypeOf(async function* () {}).constructor("return process")()`, error: /not a valid constructor/ },
  { name: "Reflect.construct(Function)", fn: `(r) => Reflect.construct(Function, ["return process"])()${WRITE}`, error: /undefined/ },
  { name: "Function in the global scope", fn: `(r) => Function("return process")()${WRITE}`, error: /undefined/ },
  { name: "indirect eval", fn: `(r) => (0, eval)("process")${WRITE}`, error: /undefined|not defined/ },
  { name: "direct eval", fn: `(r) => eval("process")${WRITE}`, error: /eval/ },
  { name: "dynamic import", fn: `(r) => import("node:fs").then((fs) => fs.writeFileSync(${JSON.stringify(MARKER)}, "x"))`, error: /import/ },
  { name: "globalThis.process", fn: `(r) => globalThis.process.env.DATABASE_URL`, error: /undefined/ },
  { name: "this in a sloppy function", fn: `function (r) { return this.process.env; }`, error: /undefined/ },
  { name: "global this through a nested function", fn: `(r) => (function () { return this; })().process`, error: /undefined/ },
  { name: "require", fn: `(r) => require("fs").writeFileSync(${JSON.stringify(MARKER)}, "x")`, error: /require is not (defined|a function)/ },
  { name: "fetch", fn: `(r) => fetch("http://127.0.0.1:1/")`, error: /fetch is not (defined|a function)/ },
  { name: "timers", fn: `(r) => setTimeout(() => 0, 1)`, error: /setTimeout is not (defined|a function)/ },
  { name: "SharedArrayBuffer", fn: `(r) => new SharedArrayBuffer(8)`, error: /SharedArrayBuffer is not (defined|a constructor)/ },
  { name: "Atomics.wait", fn: `(r) => Atomics.wait(new Int32Array(4), 0, 0, 60000)`, error: /./ },
  { name: "replace Array.isArray", fn: `(r) => { Array.isArray = () => false; return r; }`, error: /read only|Cannot assign/ },
  { name: "replace Object.keys", fn: `(r) => { Object.keys = () => ["constructor"]; return r; }`, error: /read only|Cannot assign/ },
  { name: "replace Object.entries", fn: `(r) => { Object.entries = () => []; return r; }`, error: /read only|Cannot assign/ },
  { name: "replace Array.prototype.map", fn: `(r) => { Array.prototype.map = function () { return ["pwned"]; }; return r; }`, error: /read only|Cannot assign/ },
  { name: "replace Symbol.iterator", fn: `(r) => { Array.prototype[Symbol.iterator] = function* () { yield "pwned"; }; return r; }`, error: /read only|Cannot assign/ },
  { name: "Object.prototype.then getter", fn: `(r) => { Object.defineProperty(Object.prototype, "then", { get() { return (res) => res("pwned"); } }); return r; }`, error: /not extensible|Cannot define/ },
  { name: "prototype pollution", fn: `(r) => { Object.prototype.polluted = "yes"; return r; }`, error: /not extensible|Cannot add/ },
  { name: "__proto__ setter pollution", fn: `(r) => { ({}).__proto__.polluted = "yes"; return r; }`, error: /not extensible|Cannot add/ },
  { name: "Error.prepareStackTrace frames", fn: `(r) => { try { Error.prepareStackTrace = (e, frames) => frames.map((f) => f.getThis()); } catch {} const s = new Error("x").stack; return Array.isArray(s) ? "frames exposed" : "contained"; }`, contained: "contained" },
  { name: "captureStackTrace on a host function", fn: `(r) => { const o = {}; Error.captureStackTrace(o); return typeof o.stack === "object" ? o.stack : "contained"; }`, contained: "contained" },
  { name: "Proxy returned to the host", fn: `(r) => new Proxy({}, { ownKeys() { throw new Error("trap ran"); } })`, error: /trap ran/ },
  { name: "function returned to the host", fn: `(r) => () => process`, error: /is a function/ },
  { name: "thenable returned to the host", fn: `(r) => ({ then(res) { res(1); } })`, error: /is a function/ },
  { name: "promise returned to the host", fn: `async (r) => { throw new Error("later"); }`, error: /Promise/ },
  { name: "promise job after the call", fn: `(r) => { Promise.resolve().then(() => { Object.prototype.late = 1; }); return "contained"; }`, error: /promise rejected after its function returned: .*(not extensible|Cannot add)/ },
  { name: "stack overflow", fn: `(r) => { const f = () => f() + 1; return f(); }`, error: /call stack/ },
  { name: "string bomb", fn: `(r) => { let s = "x"; for (;;) s += s; }`, error: /string length/ },
  { name: "symbol-keyed inspect hook on a record", fn: `(r) => ({ [Symbol.for("nodejs.util.inspect.custom")]: () => "pwned", ok: "contained" }).ok`, contained: "contained" },
];

function documentOf(name: string, nodes: PipelineNode[], edges: [string, string][], settings: Partial<PipelineDocument["settings"]> = {}): PipelineDocument {
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name,
    description: "",
    settings: { batchIntervalMs: 300, checkpointing: { enabled: false }, concurrentJobs: 1, ...settings },
    nodes,
    edges: edges.map(([source, target], i) => ({ id: `e${i}`, source, target, sourcePort: "out", targetPort: "in" })),
  };
}
const node = (id: string, kind: string, config: Record<string, unknown> = {}): PipelineNode => ({ id, kind, position: { x: 0, y: 0 }, config });
const queue = (batches: unknown[][]) => node("queue", "queue", { batches, oneAtATime: true });

/** One document: the queue feeds every attack's map node, each with a print of its own. */
function attackDocument(): PipelineDocument {
  const nodes = [queue([[{ a: 1, list: [1, 2], s: "x" }]])];
  const edges: [string, string][] = [];
  attacks.forEach((attack, i) => {
    nodes.push(node(`attack${i}`, "map", { fn: attack.fn }), node(`print${i}`, "print", { num: 5 }));
    edges.push(["queue", `attack${i}`], [`attack${i}`, `print${i}`]);
  });
  return documentOf("attacks", nodes, edges);
}

function healthyDocument(): PipelineDocument {
  return documentOf("healthy", [queue([[1, 2], [3], [4, 5]]), node("double", "map", { fn: "(x) => x * 2" }), node("out", "print", { num: 10 })], [["queue", "double"], ["double", "out"]]);
}

interface Seen {
  statuses: { runId: string; status: RunStatus; message?: string; nodeId?: string }[];
  printed: Map<string, PrintedBatch[]>;
  nodeErrors: Map<string, NodeErrorReport[]>;
}
function recorder(): { seen: Seen; broadcaster: RunBroadcaster } {
  const seen: Seen = { statuses: [], printed: new Map(), nodeErrors: new Map() };
  const push = <T>(m: Map<string, T[]>, k: string, v: T[]) => m.set(k, [...(m.get(k) ?? []), ...v]);
  return {
    seen,
    broadcaster: {
      frame: (runId, _b, printed) => push(seen.printed, runId, printed),
      status: (runId, status, message, nodeId) => seen.statuses.push({ runId, status, message, nodeId }),
      nodeError: (runId, report) => push(seen.nodeErrors, runId, [report]),
    },
  };
}
const numbersPrinted = (printed: PrintedBatch[] | undefined) => (printed ?? []).flatMap((p) => p.lines.filter((l) => /^\d+$/.test(l)));
const failureOf = (seen: Seen, runId: string) => seen.statuses.find((s) => s.runId === runId && s.status === "failed");

const fresh = useFreshDatabase("dss-sandbox-");
let hub: RunHub;
let seen: Seen;
beforeAll(() => {
  const r = recorder();
  seen = r.seen;
  hub = new RunHub({ db: fresh.db, broadcaster: r.broadcaster, frameIntervalMs: 50, batchLimitMs: 3000, maxHeapMb: 192, checkpointRoot: path.join(markerDir, "checkpoints") });
});
afterAll(async () => {
  await hub.stopAll();
  fs.rmSync(markerDir, { recursive: true, force: true });
});

describe("user code cannot leave its sandbox (through the run hub and a run process)", () => {
  it(`${attacks.length} escape techniques end as node errors or contained values; nothing outside changes`, async () => {
    const healthy = await hub.start(healthyDocument(), null);
    const runId = await hub.start(attackDocument(), null);
    const outcome = (i: number) => (attacks[i].error ? seen.nodeErrors.get(runId)?.some((e) => e.nodeId === `attack${i}`) : seen.printed.get(runId)?.some((p) => p.nodeId === `print${i}`));
    await until("every attack's outcome", () => attacks.every((_, i) => outcome(i)), 90_000).catch((e: Error) => {
      throw new Error(`${e.message}; none for: ${attacks.filter((_, i) => !outcome(i)).map((a) => a.name).join(", ")}; run: ${JSON.stringify(hub.snapshot(runId)?.status)} ${hub.snapshot(runId)?.message ?? ""}`);
    });
    await until("the healthy run's three batches", () => numbersPrinted(seen.printed.get(healthy)).length >= 5);

    for (const [i, attack] of attacks.entries()) {
      const errors = (seen.nodeErrors.get(runId) ?? []).filter((e) => e.nodeId === `attack${i}`);
      if (attack.error) {
        expect(errors.length, attack.name).toBe(1);
        expect(errors[0].message, attack.name).toMatch(attack.error);
        // a rejection after the call is the node's, not one field's
        if (!/after its function returned/.test(errors[0].message)) expect(errors[0].field, attack.name).toBe("fn");
      } else {
        expect(errors, attack.name).toEqual([]);
        const lines = (seen.printed.get(runId) ?? []).filter((p) => p.nodeId === `print${i}`).flatMap((p) => p.lines);
        expect(lines, attack.name).toContain(attack.contained);
      }
    }
    // nothing outside the sandbox changed: no file, the server's globals, the other run
    expect(fs.existsSync(MARKER)).toBe(false);
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.prototype).not.toHaveProperty("late");
    expect(Object.prototype).not.toHaveProperty("then");
    expect(Array.isArray([])).toBe(true);
    expect(Object.keys({ k: 1 })).toEqual(["k"]);
    expect([1, 2].map((x) => x + 1)).toEqual([2, 3]);
    expect(numbersPrinted(seen.printed.get(healthy))).toEqual(["2", "4", "6", "8", "10"]);
    expect(hub.snapshot(runId)?.status).toBe("running");
    expect(hub.snapshot(healthy)?.status).toBe("running");
    await hub.stop(runId);
    await hub.stop(healthy);
  });

  it("the State of mapWithState gives user code methods on copies and nothing of the engine", async () => {
    const attacksOnState = [
      `(k, v, s) => s.get.constructor("return process")()`,
      `(k, v, s) => { try { s.remove(); s.remove(); } catch (e) { return e.constructor.constructor("return process")(); } }`,
      `(k, v, s) => s.wrap(true, 1)`,
      `(k, v, s) => { Object.getPrototypeOf(s).exists = () => true; return 1; }`,
      `(k, v, s) => { s.update({ f: () => 1 }); return 1; }`,
    ];
    const nodes = [queue([[["k", 1]]]), node("pairs", "mapToPair", { fn: "(x) => x" })];
    const edges: [string, string][] = [["queue", "pairs"]];
    attacksOnState.forEach((fn, i) => {
      nodes.push(node(`state${i}`, "mapWithState", { fn }), node(`print${i}`, "print", { num: 5 }));
      edges.push(["pairs", `state${i}`], [`state${i}`, `print${i}`]);
    });
    const runId = await hub.start(documentOf("state attacks", nodes, edges, { checkpointing: { enabled: true } }), null);
    await until("every state attack's error", () => attacksOnState.every((_, i) => seen.nodeErrors.get(runId)?.some((e) => e.nodeId === `state${i}`)), 60_000);
    const messages = attacksOnState.map((_, i) => seen.nodeErrors.get(runId)!.find((e) => e.nodeId === `state${i}`)!.message);
    expect(messages[0]).toMatch(/not a valid constructor/);
    expect(messages[1]).toMatch(/not a valid constructor/);
    expect(messages[2]).toMatch(/not a function/);
    expect(messages[3]).toMatch(/not extensible|read only|Cannot/);
    expect(messages[4]).toMatch(/is a function/);
    expect(fs.existsSync(MARKER)).toBe(false);
    await hub.stop(runId);
  });

  it("a function that never returns stops its run within the batch limit, naming the node; another run goes on", async () => {
    const healthy = await hub.start(documentOf("beside", [queue([[1], [2], [3], [4], [5], [6], [7], [8]]), node("id", "map", { fn: "(x) => x" }), node("out", "print")], [["queue", "id"], ["id", "out"]]), null);
    const hung = await hub.start(documentOf("hung", [queue([[1]]), node("spin", "map", { fn: "(x) => { for (;;) {} }" }), node("out", "print")], [["queue", "spin"], ["spin", "out"]]), null);
    const failure = await until("the hung run to fail", () => failureOf(seen, hung));
    expect(failure.nodeId).toBe("spin");
    expect(failure.message).toMatch(/node "spin": its function did not return, and the batch ran past its limit of 3\.0 s/);
    expect((await fresh.db.run.findUniqueOrThrow({ where: { id: hung } })).errorNodeId).toBe("spin");
    await until("the other run to go on", () => numbersPrinted(seen.printed.get(healthy)).length >= 8);
    expect(hub.snapshot(healthy)?.status).toBe("running");
    await hub.stop(healthy);
  });

  it("a memory bomb ends its own run with its limit named, and nothing else", async () => {
    const runId = await hub.start(documentOf("bomb", [queue([[1]]), node("hog", "map", { fn: "(x) => { const keep = []; for (;;) keep.push(new Array(1e6).fill(x)); }" }), node("out", "print")], [["queue", "hog"], ["hog", "out"]]), null);
    const failure = await until("the bomb's run to fail", () => failureOf(seen, runId));
    expect(failure.message).toMatch(/memory limit of 192 MB|batch ran past its limit/);
    expect(failure.nodeId).toBe("hog");
  });

  it("a promise job that never ends stops its run, naming the last node that ran user code", async () => {
    const runId = await hub.start(documentOf("job", [queue([[1]]), node("later", "map", { fn: "(x) => { Promise.resolve().then(() => { for (;;) {} }); return x; }" }), node("out", "print")], [["queue", "later"], ["later", "out"]]), null);
    const failure = await until("the run to fail", () => failureOf(seen, runId));
    expect(failure.nodeId).toBe("later");
    expect(failure.message).toMatch(/later/);
  });

  it("a run process reads no file of the server and writes none outside its folders, even from a worker", async () => {
    // The permission model is the second fence: checked here from a stand-in entry that runs
    // with the exact flags of a real run, as code that got out of its compartment would.
    const probe = path.join(markerDir, "probe-entry.mjs");
    fs.writeFileSync(
      probe,
      `import fs from "node:fs";
       const out = {};
       const attempt = (name, f) => { try { f(); out[name] = "allowed"; } catch (e) { out[name] = e.code ?? String(e); } };
       attempt("read database", () => fs.readFileSync(${JSON.stringify(path.join(fresh.dir, "studio.db"))}));
       attempt("read server source", () => fs.readFileSync(${JSON.stringify(path.resolve("server/auth.ts"))}));
       attempt("write marker", () => fs.writeFileSync(${JSON.stringify(MARKER)}, "x"));
       attempt("spawn", () => process.binding("spawn_sync"));
       const cp = await import("node:child_process");
       attempt("exec", () => cp.execFileSync("/bin/true"));
       out.env = Object.keys(process.env).filter((k) => /DATABASE|TOKEN|SECRET/.test(k));
       const { Worker } = await import("node:worker_threads");
       out.worker = await new Promise((resolve) => {
         const w = new Worker('try { require("fs").writeFileSync(' + JSON.stringify(${JSON.stringify(MARKER)}) + ', "x"); require("worker_threads").parentPort.postMessage("allowed"); } catch (e) { require("worker_threads").parentPort.postMessage(e.code); }', { eval: true });
         w.once("message", resolve);
       });
       process.send({ type: "status", status: "running", message: JSON.stringify(out) });
       await new Promise((r) => setTimeout(r, 60000));`,
    );
    const probing = new RunHub({ db: fresh.db, broadcaster: recorder().broadcaster, workerUrl: new URL(`file://${probe}`) });
    process.env.DSTREAM_STUDIO_TOKEN_PROBE = "secret";
    const runId = await probing.start(healthyDocument(), null);
    const report = await until("the probe's report", () => probing.snapshot(runId)?.message);
    const out = JSON.parse(report) as Record<string, unknown>;
    expect(out).toMatchObject({ "read database": "ERR_ACCESS_DENIED", "read server source": "ERR_ACCESS_DENIED", "write marker": "ERR_ACCESS_DENIED", exec: "ERR_ACCESS_DENIED", worker: "ERR_ACCESS_DENIED", env: [] });
    expect(out.spawn).not.toBe("allowed");
    expect(fs.existsSync(MARKER)).toBe(false);
    delete process.env.DSTREAM_STUDIO_TOKEN_PROBE;
    await probing.stopAll();
  });
});
