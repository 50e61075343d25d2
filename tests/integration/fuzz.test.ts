import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "@/engine/sources/transactionLog";
import { parsePipelineDocument } from "@/engine/pipeline/document";
import { fraudMapWithStateTemplate, streamingBasicsTemplate, windowExplorerTemplate } from "@/engine/pipeline/samples";
import type { Database } from "@/server/db/client";
import { RunHub } from "@/server/runs/RunHub";
import { registerServices } from "@/server/services";
import { startAppServer, type AppServer } from "./helpers/appServer";
import { until, useFreshDatabase } from "./helpers/runs";

// Fuzzing every route that takes a body (validate, create, update, run, versions, recovery,
// tables) with mutated documents and malformed bodies. Whatever comes in: no 5xx, no dropped
// connection, nothing stored that the schema refuses, Object.prototype untouched. The PRNG is
// seeded (FUZZ_SEED overrides), so a failure names the seed and case that reproduce it.

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const CASES = 1050;

const prng = seededRandom;

const fresh = useFreshDatabase("dss-fuzz-");
let db: Database;
let hub: RunHub;
let app: AppServer;
beforeAll(async () => {
  db = fresh.db;
  hub = new RunHub({ db, checkpointRoot: fresh.dir, broadcaster: { frame: () => undefined, status: () => undefined, nodeError: () => undefined } });
  registerServices({ db, runs: hub, startedAt: new Date() });
  app = await startAppServer({ db, hub });
});
afterAll(async () => {
  await app?.close();
  await hub?.stopAll();
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function fuzzer(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const strings = ["", " ", "x", "queue", "print", "map", "window", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "(x) => x", "(x) => {", "while(true){}", "é\u0000\ud800", "a".repeat(300), "1e300", "NaN", "-1", "../../etc/passwd", "<script>"];
  const numbers = [0, -0, 1, -1, 0.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e300, -1e300, 5e-324, 999999999999];
  const scalar = (): Json => {
    switch (int(5)) {
      case 0: return null;
      case 1: return random() < 0.5;
      case 2: return pick(numbers);
      case 3: return pick(strings);
      default: return int(1000);
    }
  };
  const value = (depth = 0): Json => {
    if (depth > 3 || random() < 0.5) return scalar();
    if (random() < 0.5) return Array.from({ length: int(4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(strings), value(depth + 1)]));
  };
  const nested = (levels: number): Json => {
    let v: Json = 1;
    for (let i = 0; i < levels; i++) v = random() < 0.5 ? [v] : { k: v };
    return v;
  };
  /** Paths to every value of `v`, as key lists. */
  const paths = (v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] => {
    out.push(at);
    if (Array.isArray(v)) v.forEach((c, i) => paths(c, [...at, i], out));
    else if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) paths(c, [...at, k], out);
    return out;
  };
  /** One mutation at a random place: replace, delete, duplicate, retype, nest deep, add keys. */
  const mutate = (doc: Json): Json => {
    const copy = structuredClone(doc);
    const all = paths(copy);
    const target = pick(all);
    if (target.length === 0) return random() < 0.5 ? value() : copy;
    const parentPath = target.slice(0, -1);
    const key = target[target.length - 1];
    let parent: Json = copy;
    for (const k of parentPath) parent = (parent as Record<string, Json>)[k];
    const p = parent as Record<string | number, Json>;
    switch (int(8)) {
      case 0: p[key] = scalar(); break;
      case 1: p[key] = value(); break;
      case 2: if (Array.isArray(p)) p.splice(key as number, 1); else delete p[key]; break;
      case 3: if (Array.isArray(p)) p.push(structuredClone(p[key as number])); else p[`${String(key)}2`] = structuredClone(p[key]); break;
      case 4: p[key] = nested(40 + int(60)); break;
      case 5: p[key] = Array.isArray(p[key]) ? {} : []; break;
      case 6: p[key] = typeof p[key] === "string" ? (p[key] as string).repeat(1 + int(50)) : String(p[key]); break;
      default: p[pick(strings)] = value(); break;
    }
    return copy;
  };
  const mutateN = (doc: Json): Json => {
    let d = doc;
    for (let i = 1 + int(3); i > 0; i--) d = mutate(d);
    return d;
  };
  /** Bodies that are not JSON documents at all, or JSON with traps in the text. */
  const malformed = (valid: string): string | Uint8Array<ArrayBuffer> => {
    switch (int(10)) {
      case 0: return valid.slice(0, int(valid.length));
      case 1: return "";
      case 2: return pick(["null", "[]", "0", "\"x\"", "true", "{}", "1e999", "{\"a\":1,}", "NaN", "undefined"]);
      case 3: return Uint8Array.from({ length: 1 + int(200) }, () => int(256));
      case 4: return `\ufeff${valid}`;
      case 5: return valid.replace("{", '{"__proto__":{"polluted":true},');
      case 6: return valid.replace("{", '{"constructor":{"prototype":{"polluted":true}},');
      case 7: return "[".repeat(5000 + int(100_000));
      case 8: return `${valid}${valid}`;
      default: return valid.replace(/"[a-z]+"/, '"\\ud800"');
    }
  };
  return { int, pick, mutateN, malformed, value };
}

describe("fuzzing the routes that take a body", () => {
  it(`${CASES} mutated documents and malformed bodies: no 5xx, no dropped connection, nothing invalid stored, Object.prototype untouched (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const f = fuzzer(random);
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const templates = [streamingBasicsTemplate, windowExplorerTemplate, fraudMapWithStateTemplate] as unknown as Json[];

    // A pipeline to update, and an ended run to act on (so that run actions never start threads by the thousand).
    const base = await fetch(`${app.base}/api/pipelines`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ template: "streamingBasics", start: true }) });
    const { id, runId } = (await base.json()) as { id: string; runId: string };
    await hub.stop(runId);
    await until("the run to end", () => hub.snapshot(runId)?.ended);

    const routes = [
      { name: "validate", method: "POST", url: () => "/api/pipelines/validate", body: () => f.pick(templates) },
      { name: "create", method: "POST", url: () => "/api/pipelines", body: () => (random() < 0.1 ? { template: f.pick(["streamingBasics", "nope", 1, null]) } : f.pick(templates)) },
      { name: "update", method: "PUT", url: () => `/api/pipelines/${random() < 0.9 ? id : f.pick(["nope", "%E0%A4%A", "..", "a".repeat(500)])}`, body: () => f.pick(templates) },
      {
        name: "run",
        method: "POST",
        // start only against a pipeline that does not exist: the other actions against the ended run.
        url: () => `/api/pipelines/${random() < 0.5 ? "no-such-pipeline" : id}/run`,
        body: () => ({ action: f.pick(["pause", "resume", "step", "stop"]), runId: f.pick([runId, "nope"]) }),
        start: true,
      },
      { name: "versions", method: "POST", url: () => `/api/pipelines/${id}/versions`, body: () => ({ version: f.pick([1, 2, 999]) }) },
      { name: "recovery", method: "POST", url: () => `/api/runs/${f.pick([runId, "nope"])}/recovery`, body: () => ({ choice: f.pick(["fresh", "keep-stopped"]) }) },
      {
        name: "tables",
        method: "PUT",
        url: () => `/api/tables/${f.pick(["fuzz_table", "account_aggregates", "bad name!", "x".repeat(200)])}`,
        body: () => ({ rows: [{ account_number: "123-ABC-789", average_transaction: 42.5 }, { key: "v", n: 1, b: true, z: null }] }),
      },
    ];

    const counts: Record<string, Record<number, number>> = {};
    for (let i = 0; i < CASES; i++) {
      const route = routes[i % routes.length];
      const valid = route.body() as Json;
      let body: string | Uint8Array<ArrayBuffer>;
      if (random() < 0.25) body = f.malformed(JSON.stringify(valid));
      else {
        let mutated = random() < 0.1 ? valid : f.mutateN(valid);
        // Run bodies: a start never reaches a real pipeline.
        if (route.start && mutated && typeof mutated === "object" && !Array.isArray(mutated) && mutated.action === "start") mutated = { ...mutated, action: "start" };
        body = JSON.stringify(mutated);
      }
      const url = route.url();
      const isStart = route.name === "run" && typeof body === "string" && body.includes('"start"');
      const target = isStart ? "/api/pipelines/no-such-pipeline/run" : url;
      const where = `case ${i} (seed ${SEED}): ${route.method} ${target} ${typeof body === "string" ? body.slice(0, 200) : `<${body.length} bytes>`}`;
      let res: Response;
      try {
        res = await fetch(`${app.base}${target}`, { method: route.method, headers: { "content-type": "application/json" }, body });
      } catch (e) {
        throw new Error(`dropped connection at ${where}: ${(e as Error).message}`);
      }
      const text = await res.text();
      expect(res.status, `${where} → ${text.slice(0, 300)}`).toBeLessThan(500);
      if (res.status >= 400) expect(() => JSON.parse(text), `${where}: an error answer is JSON`).not.toThrow();
      (counts[route.name] ??= {})[res.status] = ((counts[route.name] ??= {})[res.status] ?? 0) + 1;
      if ((route.name === "create" || route.name === "update") && res.ok) {
        const storedId = route.name === "create" ? (JSON.parse(text) as { id: string }).id : id;
        const row = await db.pipeline.findUniqueOrThrow({ where: { id: storedId } });
        const reparsed = parsePipelineDocument(JSON.parse(row.document));
        expect(reparsed.ok, `${where}: stored a document the schema refuses`).toBe(true);
      }
    }
    console.log(`fuzz (seed ${SEED}): ${CASES} requests; statuses per route: ${JSON.stringify(counts)}`);

    // Everything stored still validates and is served.
    for (const row of await db.pipeline.findMany()) {
      expect(parsePipelineDocument(JSON.parse(row.document)).ok, `pipeline ${row.id}`).toBe(true);
      expect((await fetch(`${app.base}/api/pipelines/${row.id}`)).status).toBe(200);
    }
    for (const row of await db.pipelineVersion.findMany()) expect(parsePipelineDocument(JSON.parse(row.document)).ok).toBe(true);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(hub.list().filter((r) => r.runId !== runId)).toEqual([]); // no run was started by the fuzz
    expect((await fetch(`${app.base}/api/pipelines`)).status).toBe(200);
  });
});
