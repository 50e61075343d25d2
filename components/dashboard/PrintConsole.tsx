"use client";

import { useLayoutEffect, useRef, useState } from "react";
import type { PrintedBatch } from "@/server/runs/types";
import { roundNumbersInText } from "./format";

export interface PrintConsoleProps {
  printed: readonly PrintedBatch[];
  /** Show one print node only. */
  nodeId?: string;
}

/** What the print nodes wrote, in Spark's layout, newest last; follows the end unless the reader scrolled up. */
export function PrintConsole({ printed, nodeId }: PrintConsoleProps) {
  const nodes = [...new Set(printed.map((p) => p.nodeId))].sort();
  const [chosen, setChosen] = useState<string>("");
  const filter = nodeId ?? chosen;
  const shown = filter ? printed.filter((p) => p.nodeId === filter) : printed;
  // One entry per print node and batch: the batches are the distinct batch times, not the entries.
  const batchCount = new Set(shown.map((p) => p.batchTimeMs)).size;
  const ref = useRef<HTMLPreElement>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [shown]);
  return (
    <section className="dash-section" aria-label="Printed output">
      <h2>
        Output{" "}
        <small data-testid="print-batches">
          print nodes, last {batchCount} {batchCount === 1 ? "batch" : "batches"}; float noise rounded (hover a batch for its exact text)
        </small>
      </h2>
      {nodeId === undefined && nodes.length > 1 && (
        <div className="dash-toolbar">
          <label>
            Node{" "}
            <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">all</option>
              {nodes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {shown.length === 0 ? (
        <p className="muted">No print output yet.</p>
      ) : (
        <pre
          className="console"
          // Scrollable: reachable with the keyboard, so it can be scrolled without a mouse.
          tabIndex={0}
          aria-label="Print output"
          ref={ref}
          data-testid="print-console"
          onScroll={(e) => {
            const el = e.currentTarget;
            atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
        >
          {shown.map((p) => (
            <span key={`${p.nodeId}@${p.batchTimeMs}`} title={p.lines.join("\n")}>
              {nodes.length > 1 && !filter && <span className="src">{`# ${p.nodeId}\n`}</span>}
              {roundNumbersInText(p.lines.join("\n"))}
              {"\n"}
            </span>
          ))}
        </pre>
      )}
    </section>
  );
}
