"use client";
import { useEffect, useMemo, useState } from "react";
import type { Diagnostic } from "@/engine/pipeline/diagnostics";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { cassandraColumnDiagnostics, cassandraLookups, type CassandraInspection } from "@/engine/sources/cassandra/columnDiagnostics";

// Typing a table name asks the server once it rests, not on every key.
const SETTLE_MS = 600;

/**
 * Diagnostics of the lookup joins that read Cassandra tables: each table is inspected once by the
 * server (POST /api/cassandra/table) while the editor is open; a column the table lacks is an
 * error, a missing table a warning. A cluster that does not answer adds nothing.
 */
export function useCassandraDiagnostics(doc: PipelineDocument): Diagnostic[] {
  const [inspected, setInspected] = useState<ReadonlyMap<string, CassandraInspection>>(new Map());
  const uses = useMemo(() => cassandraLookups(doc), [doc]);
  const wanted = uses.filter((u) => !inspected.has(u.key));

  useEffect(() => {
    if (wanted.length === 0) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      for (const use of wanted) {
        void fetch("/api/cassandra/table", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(use.ref) })
          .then(async (res) => (res.ok ? ((await res.json()) as CassandraInspection) : null))
          .catch(() => null)
          .then((found) => {
            if (!cancelled && found) setInspected((m) => new Map(m).set(use.key, found));
          });
      }
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // The keys say everything about what to inspect: a new document with the same tables asks nothing.
  }, [wanted.map((u) => u.key).join("\n")]);

  return useMemo(() => cassandraColumnDiagnostics(doc, inspected), [doc, inspected]);
}
