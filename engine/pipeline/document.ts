import { z } from "zod";
import { migrateDocument, OLDEST_SCHEMA_VERSION } from "./migrations";

/**
 * The pipeline document: the plain, versioned JSON that is the single source of truth for
 * a pipeline. The canvas, the compiled engine graph and any export are derived from it.
 * Durations are whole milliseconds in fields whose names end in `Ms`.
 */
export const PIPELINE_SCHEMA_VERSION = 2;

const identifier = z
  .string()
  .min(1, "must not be empty")
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, "may hold only letters, digits and _ . : -");

const durationMs = z.number().int("must be a whole number of milliseconds").positive("must be positive");

export const nodeSchema = z.object({
  id: identifier,
  kind: z.string().min(1),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }),
  config: z.record(z.string(), z.unknown()).default({}),
  label: z.string().max(200).optional(),
});

export const edgeSchema = z.object({
  id: identifier,
  source: identifier,
  sourcePort: z.string().min(1),
  target: identifier,
  targetPort: z.string().min(1),
});

const recordsPerSecond = z.number().finite().positive("must be more than 0 records per second");

/** Spark's rate settings for every receiver: spark.streaming.receiver.maxRate and spark.streaming.backpressure.*. */
export const rateControlSchema = z.object({
  /** spark.streaming.backpressure.enabled */
  backpressure: z.boolean().default(false),
  /** spark.streaming.backpressure.initialRate: records/s before the first estimate. */
  initialRate: recordsPerSecond.optional(),
  /** spark.streaming.receiver.maxRate: records/s per receiver source that sets no maximum of its own. */
  receiverMaxRate: recordsPerSecond.optional(),
  /** spark.streaming.backpressure.pid.* */
  pid: z
    .object({
      proportional: z.number().finite().min(0, "must be 0 or more").default(1),
      integral: z.number().finite().min(0, "must be 0 or more").default(0.2),
      derived: z.number().finite().min(0, "must be 0 or more").default(0),
      minRate: recordsPerSecond.default(100),
    })
    .default({ proportional: 1, integral: 0.2, derived: 0, minRate: 100 }),
});
export type RateControlSettings = z.infer<typeof rateControlSchema>;

export const settingsSchema = z.object({
  batchIntervalMs: durationMs.default(1000),
  checkpointing: z
    .object({ enabled: z.boolean().default(false), intervalMs: durationMs.optional() })
    .default({ enabled: false }),
  concurrentJobs: z.number().int().min(1).max(64).default(1),
  rememberMs: durationMs.optional(),
  rateControl: rateControlSchema.optional(),
});

export const pipelineDocumentSchema = z
  .object({
    schemaVersion: z.literal(PIPELINE_SCHEMA_VERSION),
    name: z.string().trim().min(1, "a pipeline needs a name").max(200),
    description: z.string().max(5000).default(""),
    settings: settingsSchema.default({ batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1 }),
    nodes: z.array(nodeSchema),
    edges: z.array(edgeSchema),
  })
  .superRefine((doc, ctx) => {
    const ids = new Set<string>();
    doc.nodes.forEach((node, i) => {
      if (ids.has(node.id)) ctx.addIssue({ code: "custom", path: ["nodes", i, "id"], message: `duplicate node id "${node.id}"` });
      ids.add(node.id);
    });
    doc.edges.forEach((edge, i) => {
      for (const end of ["source", "target"] as const) {
        if (!ids.has(edge[end])) {
          ctx.addIssue({ code: "custom", path: ["edges", i, end], message: `edge "${edge.id}" refers to unknown node "${edge[end]}"` });
        }
      }
    });
  });

export type PipelineDocument = z.infer<typeof pipelineDocumentSchema>;
export type PipelineNode = z.infer<typeof nodeSchema>;
export type PipelineEdge = z.infer<typeof edgeSchema>;
export type PipelineSettings = z.infer<typeof settingsSchema>;

export type ParseResult =
  | { ok: true; document: PipelineDocument }
  | { ok: false; issues: { path: string; message: string }[] };

/**
 * Validates untrusted input as a pipeline document, migrating older versions forward first;
 * the issues name the field at fault.
 */
export function parsePipelineDocument(input: unknown): ParseResult {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, issues: [{ path: "(document)", message: "a pipeline document must be a JSON object" }] };
  }
  const version = (input as { schemaVersion?: unknown }).schemaVersion;
  const refuse = (message: string): ParseResult => ({ ok: false, issues: [{ path: "schemaVersion", message }] });
  if (typeof version === "number" && version > PIPELINE_SCHEMA_VERSION) {
    return refuse(
      `schema version ${version} is newer than this DStream Studio understands (${PIPELINE_SCHEMA_VERSION}); upgrade the app to open it`,
    );
  }
  if (typeof version !== "number" || !Number.isInteger(version) || version < OLDEST_SCHEMA_VERSION) {
    return refuse(
      `unknown schema version ${JSON.stringify(version)}: expected a whole number from ${OLDEST_SCHEMA_VERSION} to ${PIPELINE_SCHEMA_VERSION}`,
    );
  }
  const migrated = migrateDocument(input as Record<string, unknown>, version, PIPELINE_SCHEMA_VERSION);
  const result = pipelineDocumentSchema.safeParse(migrated);
  if (result.success) return { ok: true, document: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path.join(".") || "(document)", message: issue.message })),
  };
}
