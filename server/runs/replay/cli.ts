/**
 * `npm run replay -- <runId> <document.json>`: replays a run's recorded input batches through a
 * document and prints what changed per output and batch. Exit code 0 when nothing changed, 1
 * when something did, 2 on error (bad arguments, unknown run, nothing recorded, invalid
 * document or recording, a replay that failed). The replay runs in a run process, as the
 * server's do.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parsePipelineDocument, type PipelineDocument } from "../../../engine/pipeline/document";
import { openDatabase } from "../../db/client";
import { hasProtoKey, jsonDepth, limits } from "../../limits";
import { formatComparison } from "./format";
import { ReplayService } from "./ReplayService";

const USAGE = "usage: npm run replay -- <runId> <document.json>";

/** Reads and validates the document file with the limits a request body has. */
function readDocument(file: string): PipelineDocument {
  const l = limits();
  const stat = fs.statSync(file);
  if (stat.size > l.maxBodyBytes) throw new Error(`${file} is ${stat.size} bytes, more than MAX_BODY_BYTES=${l.maxBodyBytes}`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file} is not JSON: ${(e as Error).message}`);
  }
  if (jsonDepth(json, l.maxDepth) > l.maxDepth) throw new Error(`${file} is nested more than MAX_DOCUMENT_DEPTH=${l.maxDepth} levels deep`);
  if (hasProtoKey(json)) throw new Error(`${file} holds a "__proto__" key`);
  // A file may hold the document alone or a pipeline as the API returns it ({ document }).
  const candidate = json !== null && typeof json === "object" && "document" in json && !("nodes" in json) ? (json as { document: unknown }).document : json;
  const parsed = parsePipelineDocument(candidate);
  if (!parsed.ok) throw new Error(`${file} is not a valid pipeline document: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  return parsed.document;
}

export async function main(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  if (args.length !== 2 || args.some((a) => a.startsWith("-"))) {
    err(USAGE);
    return 2;
  }
  const [runId, file] = args;
  let document: PipelineDocument;
  try {
    document = readDocument(file);
  } catch (e) {
    err(`replay: ${(e as Error).message}`);
    return 2;
  }
  const db = openDatabase();
  try {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
    const heap = Number(process.env.RUN_MAX_HEAP_MB);
    const service = new ReplayService({ db, root, maxHeapMb: Number.isFinite(heap) && heap > 0 ? heap : 2048 });
    const outcome = await service.compare(runId, document);
    if (!outcome.ok) {
      err(`replay: ${outcome.error}`);
      return 2;
    }
    if (outcome.kind !== "compare") throw new Error("the replay answered with one batch instead of a comparison");
    out(formatComparison(runId, outcome.comparison));
    return outcome.comparison.differences === 0 ? 0 : 1;
  } catch (e) {
    err(`replay: ${(e as Error).message}`);
    return 2;
  } finally {
    await db.$disconnect();
  }
}
