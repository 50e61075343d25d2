/** Why a state query from a client is malformed, or undefined when it is not. */
export function checkStateQuery(runId: unknown, query: unknown): string | undefined {
  if (typeof runId !== "string") return "run:state needs a run id (string)";
  if (query === null || typeof query !== "object") return "run:state needs a query object";
  const q = query as Record<string, unknown>;
  if (!["page", "diff", "series", "list"].includes(q.kind as string)) return `run:state: unknown query kind ${JSON.stringify(q.kind)}`;
  if (q.kind !== "list" && typeof q.streamId !== "string") return "run:state: the query needs a streamId";
  for (const field of ["offset", "limit", "fromBatchMs", "toBatchMs", "top"]) {
    if (q[field] !== undefined && (typeof q[field] !== "number" || !Number.isFinite(q[field]))) return `run:state: ${field} must be a number`;
  }
  if (q.search !== undefined && typeof q.search !== "string") return "run:state: search must be text";
  if (q.sort !== undefined && !["key", "value", "updated"].includes(q.sort as string)) return "run:state: sort must be key, value or updated";
  if (q.kind === "diff" && (typeof q.fromBatchMs !== "number" || typeof q.toBatchMs !== "number")) return "run:state: a diff needs fromBatchMs and toBatchMs";
  return undefined;
}
