"use client";

import { useMemo, useState } from "react";
import type { BatchSummary } from "@/server/runs/types";
import { formatBatchTime, formatCount, formatDuration } from "./format";

type SortKey = "batchTimeMs" | "numRecords" | "schedulingDelayMs" | "processingTimeMs" | "totalDelayMs" | "status";

const COLUMNS: { key: SortKey; label: string; num: boolean }[] = [
  { key: "batchTimeMs", label: "Batch Time", num: false },
  { key: "numRecords", label: "Input Size", num: true },
  { key: "schedulingDelayMs", label: "Scheduling Delay", num: true },
  { key: "processingTimeMs", label: "Processing Time", num: true },
  { key: "totalDelayMs", label: "Total Delay", num: true },
  { key: "status", label: "Status", num: false },
];

const PAGE = 50;
const TONE: Record<BatchSummary["status"], string> = { completed: "ok", failed: "bad", processing: "warn", queued: "idle" };

export interface BatchTableProps {
  batches: readonly BatchSummary[];
  selectedBatchMs?: number;
  onSelectBatch: (batchTimeMs: number) => void;
  /** Runs a completed batch again with its recorded input (the replay panel shows it); no column without it. */
  onReplayBatch?: (batchTimeMs: number) => void;
}

/** Spark's batches table (active and completed in one), sortable; a row opens the batch's details. */
export function BatchTable(p: BatchTableProps) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "batchTimeMs", desc: true });
  const [shown, setShown] = useState(PAGE);
  const rows = useMemo(() => {
    const value = (b: BatchSummary): number | string => (sort.key === "status" ? b.status : (b[sort.key] ?? -1));
    return [...p.batches].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = x < y ? -1 : x > y ? 1 : a.batchTimeMs - b.batchTimeMs;
      return sort.desc ? -c : c;
    });
  }, [p.batches, sort]);
  return (
    <section className="dash-section" aria-label="Batches">
      <h2>
        Batches <small>{p.batches.length} retained, newest first unless sorted</small>
      </h2>
      <div className="dash-scroll">
        <table className="dash-table" data-testid="batch-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} className={c.num ? "num" : undefined} aria-sort={sort.key === c.key ? (sort.desc ? "descending" : "ascending") : "none"}>
                  <button type="button" onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.key !== "status" }))}>
                    {c.label}
                    {sort.key === c.key ? (sort.desc ? " ▾" : " ▴") : ""}
                  </button>
                </th>
              ))}
              <th className="num">Output Ops</th>
              {p.onReplayBatch && <th>Replay</th>}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, shown).map((b) => (
              <tr
                key={b.batchTimeMs}
                data-clickable
                data-batch-time={b.batchTimeMs}
                aria-selected={b.batchTimeMs === p.selectedBatchMs}
                tabIndex={0}
                onClick={() => p.onSelectBatch(b.batchTimeMs)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") p.onSelectBatch(b.batchTimeMs);
                }}
              >
                <td>{formatBatchTime(b.batchTimeMs)}</td>
                <td className="num">{formatCount(b.numRecords)}</td>
                <td className="num">{formatDuration(b.schedulingDelayMs)}</td>
                <td className="num">{formatDuration(b.processingTimeMs)}</td>
                <td className="num">{formatDuration(b.totalDelayMs)}</td>
                <td>
                  <span className="tag" data-tone={TONE[b.status]}>
                    {b.status}
                  </span>
                </td>
                <td className="num">
                  {b.status === "completed" || b.status === "failed" ? `${b.numOutputOps - b.numFailedOutputOps}/${b.numOutputOps}` : `–/${b.numOutputOps}`}
                </td>
                {p.onReplayBatch && (
                  <td className="replay-cell">
                    {b.status === "completed" && (
                      <button
                        type="button"
                        className="dash-button"
                        aria-label={`Replay batch ${formatBatchTime(b.batchTimeMs)}`}
                        onClick={(e) => {
                          e.stopPropagation();
                          p.onReplayBatch!(b.batchTimeMs);
                        }}
                        onKeyDown={(e) => e.stopPropagation()}
                      >
                        Replay
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > shown && (
          <button type="button" className="dash-button" onClick={() => setShown((n) => n + PAGE)}>
            Show {Math.min(PAGE, rows.length - shown)} more
          </button>
        )}
      </div>
    </section>
  );
}
