"use client";
import { useEffect, useMemo, useRef, useState } from "react";
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
  // Tables asked for (answered or on their way): each is asked once.
  const asked = useRef(new Set<string>());
  const uses = useMemo(() => cassandraLookups(doc), [doc]);
  const wanted = uses.filter((u) => !inspected.has(u.key));
  const wantedKeys = wanted.map((u) => u.key).join("\n");

  useEffect(() => {
    const fresh = wanted.filter((u) => !asked.current.has(u.key));
    if (fresh.length === 0) return;
    const timer = setTimeout(() => {
      for (const use of fresh) {
        asked.current.add(use.key);
        void fetch("/api/cassandra/table", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(use.ref) })
          .then(async (res) => (res.ok ? ((await res.json()) as CassandraInspection) : null))
          .catch(() => null)
          .then((found) => {
            if (found) setInspected((m) => new Map(m).set(use.key, found));
            else asked.current.delete(use.key); // refused or failed: asked again once the tables named change
          });
      }
    }, SETTLE_MS);
    return () => clearTimeout(timer);
    // The keys say everything about what to inspect: a new document with the same tables asks nothing.
  }, [wantedKeys]);

  return useMemo(() => cassandraColumnDiagnostics(doc, inspected), [doc, inspected]);
}
