"use client";

import { useMemo, useState } from "react";
import { wireStats, type WireStat } from "@/server/runs/aggregate/streams";
import type { BatchSummary } from "@/server/runs/types";
import { formatCount } from "./format";
import type { RunGraph, TailSelection } from "./types";

export interface StreamsPanelProps {
  graph: RunGraph | null;
  batches: readonly BatchSummary[];
  selection?: TailSelection;
  onSelect: (s: TailSelection) => void;
}

interface Row {
  key: string;
  selection: TailSelection;
  label: string;
  kind?: string;
  feeds: string;
  stat?: WireStat;
  /** An engine-internal stream (`stream-5`, a node's inner steps): folded away by default. */
  internal?: boolean;
}

/**
 * Data on every wire: each node's output streams (`<nodeId>:<port>`) with the records of the
 * newest batch and the mean per batch; a row opens the live tail of that node or stream.
 */
export function StreamsPanel({ graph, batches, selection, onSelect }: StreamsPanelProps) {
  const [showInternal, setShowInternal] = useState(false);
  const allRows = useMemo(() => {
    const stats = wireStats(batches);
    const out: Row[] = [];
    const covered = new Set<string>();
    for (const node of graph?.nodes ?? []) {
      const ports = [...new Set((graph?.edges ?? []).filter((e) => e.source === node.id).map((e) => e.sourcePort))];
      const streamIds = ports.length ? ports.map((p) => `${node.id}:${p}`) : [...stats.keys()].filter((id) => id.startsWith(`${node.id}:`));
      if (streamIds.length === 0) {
        out.push({ key: node.id, selection: { kind: "node", nodeId: node.id }, label: node.label ?? node.id, kind: node.kind, feeds: "—" });
      }
      for (const streamId of streamIds) {
        covered.add(streamId);
        const port = streamId.slice(node.id.length + 1);
        const feeds = (graph?.edges ?? []).filter((e) => e.source === node.id && e.sourcePort === port).map((e) => e.target);
        out.push({
          key: streamId,
          selection: { kind: "stream", streamId },
          label: `${node.label ?? node.id}${ports.length > 1 || port !== "out" ? ` · ${port}` : ""}`,
          kind: node.kind,
          feeds: feeds.join(", ") || "—",
          stat: stats.get(streamId),
        });
      }
    }
    // Streams the document does not name (internal streams of a node, or no document at all).
    for (const [streamId, stat] of stats) {
      if (!covered.has(streamId)) out.push({ key: streamId, selection: { kind: "stream", streamId }, label: streamId, feeds: "", stat, internal: graph !== null });
    }
    return out;
  }, [graph, batches]);
  const hidden = allRows.filter((r) => r.internal).length;
  const rows = showInternal ? allRows : allRows.filter((r) => !r.internal);
  const isSelected = (s: TailSelection) =>
    selection !== undefined && s.kind === selection.kind && (s.kind === "stream" ? s.streamId === (selection as typeof s).streamId : s.nodeId === (selection as typeof s).nodeId);
  return (
    <section className="dash-section" aria-label="Streams">
      <h2>
        Streams <small>records on every wire; click one for its live tail</small>
      </h2>
      {rows.length === 0 ? (
        <p className="muted">No stream has computed yet.</p>
      ) : (
        <div className="dash-scroll">
          <table className="dash-table" data-testid="streams-table">
            <thead>
              <tr>
                <th>Node · port</th>
                <th>Kind</th>
                <th className="num">Records (last batch)</th>
                <th className="num">Avg / batch</th>
                <th>Feeds</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.key}
                  data-clickable
                  data-stream={r.key}
                  tabIndex={0}
                  aria-selected={isSelected(r.selection)}
                  onClick={() => onSelect(r.selection)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" || e.key === " ") onSelect(r.selection);
                  }}
                >
                  <td>{r.label}</td>
                  <td className="muted">{r.kind ?? r.stat?.streamName ?? ""}</td>
                  <td className="num">{formatCount(r.stat?.lastCount)}</td>
                  <td className="num">{r.stat ? r.stat.avgCount.toFixed(1) : "—"}</td>
                  <td className="muted">{r.feeds}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hidden > 0 && (
        <p className="streams-internal muted">
          {showInternal ? "Showing" : "Hiding"} {hidden} engine-internal stream{hidden === 1 ? "" : "s"} (inner steps of nodes).{" "}
          <button type="button" className="dash-button" onClick={() => setShowInternal(!showInternal)} data-testid="toggle-internal-streams">
            {showInternal ? "Hide" : "Show"}
          </button>
        </p>
      )}
    </section>
  );
}
