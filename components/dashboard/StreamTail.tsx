"use client";

import { useLayoutEffect, useMemo, useRef } from "react";
import { streamTail } from "@/server/runs/aggregate/streams";
import type { BatchSummary } from "@/server/runs/types";
import { formatBatchTime, formatCount } from "./format";

export interface StreamTailProps {
  streamIds: readonly string[];
  batches: readonly BatchSummary[];
  title: string;
  onClose: () => void;
}

/** The live tail of one or more streams: the sampled first records of each recent batch, newest last. */
export function StreamTail({ streamIds, batches, title, onClose }: StreamTailProps) {
  const tails = useMemo(() => streamIds.map((id) => ({ id, entries: streamTail(batches, id) })), [streamIds, batches]);
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [tails]);
  return (
    <section className="dash-section" aria-label={`Live tail of ${title}`} data-testid="stream-tail">
      <h2>
        Live tail: {title}
        <small>
          sampled first records per batch{" "}
          <button type="button" className="dash-button" onClick={onClose}>
            Close
          </button>
        </small>
      </h2>
      <div className="console" ref={ref} style={{ whiteSpace: "normal" }}>
        {tails.every((t) => t.entries.length === 0) && <p className="muted">No records sampled on this stream in the recent batches.</p>}
        {tails.map((t) =>
          t.entries.map((e) => (
            <div key={`${t.id}@${e.batchTimeMs}`}>
              <div className="src">
                {formatBatchTime(e.batchTimeMs)} · {streamIds.length > 1 ? `${t.id} · ` : ""}
                {formatCount(e.count)} records{e.count > e.records.length ? `, first ${e.records.length} shown` : ""}
              </div>
              {e.records.map((r, i) => (
                <div key={i} className="sample">
                  {r}
                </div>
              ))}
            </div>
          )),
        )}
      </div>
    </section>
  );
}
