/**
 * Named, ordered migrations of the pipeline document. `migrations[v]` turns a version `v`
 * document into version `v + 1`. Each is pure: it returns a new object and never mutates its
 * input (a meta-test checks both that every version has one and that none mutates).
 */
export interface Migration {
  readonly name: string;
  readonly up: (doc: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

type Json = Record<string, unknown>;

export const migrations: Record<number, Migration> = {
  1: {
    // Version 1 let an edge omit its ports ("out" → "in"). Nodes with several ports (joins,
    // dead-letter outputs, state snapshots) made that ambiguous, so version 2 names them always.
    name: "edges name their ports",
    up: (doc) => ({
      ...doc,
      schemaVersion: 2,
      edges: Array.isArray(doc.edges)
        ? doc.edges.map((edge: unknown) =>
            edge && typeof edge === "object"
              ? { sourcePort: "out", targetPort: "in", ...(edge as Json) }
              : edge,
          )
        : doc.edges,
    }),
  },
};

/** The first version a document may have; anything older was never written. */
export const OLDEST_SCHEMA_VERSION = 1;

/**
 * Runs the migrations from `from` up to `to`. The caller has checked that `from` is a whole
 * number between OLDEST_SCHEMA_VERSION and `to`.
 */
export function migrateDocument(doc: Readonly<Json>, from: number, to: number): Json {
  let current: Json = doc as Json;
  for (let v = from; v < to; v++) {
    const migration = migrations[v];
    if (!migration) throw new Error(`no migration from schema version ${v} to ${v + 1}`);
    current = migration.up(current);
  }
  return current;
}
