"use client";

import { useEffect, useState } from "react";
import type { StateDiff, StatePage, StateQuery, StateReply, StateSeries, StateSortField } from "@/server/runs/state/types";
import type { BatchSummary } from "@/server/runs/types";
import { formatBatchTime, formatCount, roundNumbersInText } from "./format";
import { StateChart } from "./StateChart";
import { StateRows } from "./StateRows";

export interface StatePanelProps {
  streams: readonly string[];
  batches: readonly BatchSummary[];
  queryState: (q: StateQuery) => Promise<StateReply>;
  /** The run has ended: the panel shows its last stored snapshot. */
  ended?: boolean;
}

const PAGE = 25;

/** Runs a query whenever `key` changes; keeps the last good result and the last error. */
function useStateQuery<T>(query: StateQuery | undefined, key: string, queryState: StatePanelProps["queryState"]) {
  const [result, setResult] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!query) return;
    let cancelled = false;
    void queryState(query).then((reply) => {
      if (cancelled) return;
      if (reply.ok) {
        setResult(reply.result as T);
        setError(undefined);
      } else setError(reply.error);
    });
    return () => {
      cancelled = true;
    };
    // The query is rebuilt on every render; `key` says when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, queryState]);
  return { result, error };
}

/**
 * The state of each state node: its newest snapshot as a searchable, sortable table, paged by
 * the server (keys the newest batch changed highlighted), the batch's counts of keys added,
 * updated, removed and timed out, a diff between two batches, and the top keys over time.
 */
export function StatePanel({ streams, batches, queryState, ended }: StatePanelProps) {
  const [chosen, setChosen] = useState<string>();
  const streamId = chosen && streams.includes(chosen) ? chosen : streams[0];
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<StateSortField>("key");
  const [desc, setDesc] = useState(false);
  const [offset, setOffset] = useState(0);
  const [changedOnly, setChangedOnly] = useState(false);
  const [diffRange, setDiffRange] = useState<{ from?: number; to?: number }>({});

  // The newest batch that changed this state: the table follows it.
  const stateBatches = batches.filter((b) => streamId && b.state?.[streamId]);
  const newest = stateBatches[stateBatches.length - 1];
  const tick = String(newest?.batchTimeMs ?? 0);

  const pageQuery: StateQuery | undefined = streamId ? { kind: "page", streamId, search, sort, desc, offset, limit: PAGE, changedOnly } : undefined;
  const page = useStateQuery<StatePage>(pageQuery, JSON.stringify(pageQuery) + tick, queryState);
  const seriesQuery: StateQuery | undefined = streamId ? { kind: "series", streamId, top: 5 } : undefined;
  const series = useStateQuery<StateSeries>(seriesQuery, JSON.stringify(seriesQuery) + tick, queryState);
  const retained = page.result?.batches ?? [];
  const from = diffRange.from ?? retained[Math.max(0, retained.length - 2)];
  const to = diffRange.to ?? retained[retained.length - 1];
  const diffQuery: StateQuery | undefined =
    streamId && from !== undefined && to !== undefined ? { kind: "diff", streamId, fromBatchMs: from, toBatchMs: to, limit: 50 } : undefined;
  const diff = useStateQuery<StateDiff>(diffQuery, JSON.stringify(diffQuery) + (diffRange.to === undefined ? tick : ""), queryState);

  if (!streamId) return null;
  const p = page.result?.streamId === streamId ? page.result : undefined;
  const counts = newest?.state?.[streamId];
  const sortBy = (field: StateSortField) => {
    if (field === sort) setDesc(!desc);
    else {
      setSort(field);
      setDesc(field !== "key");
    }
    setOffset(0);
  };

  return (
    <section className="dash-section" aria-label="State">
      <h2>
        State{" "}
        <small data-testid="state-heading">
          {ended
            ? `the run has ended: its last stored snapshot${p?.batchTimeMs !== undefined ? `, after the batch of ${formatBatchTime(p.batchTimeMs)}` : ""}`
            : "each state node's newest snapshot, paged by the server"}
        </small>
      </h2>
      <div className="dash-toolbar">
        <label>
          Stream{" "}
          <select value={streamId} onChange={(e) => (setChosen(e.target.value), setOffset(0))} data-testid="state-stream">
            {streams.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Search keys and values"
          value={search}
          onChange={(e) => (setSearch(e.target.value), setOffset(0))}
          aria-label="Search the state"
          data-testid="state-search"
        />
        {!ended && (
          <label>
            <input type="checkbox" checked={changedOnly} onChange={(e) => (setChangedOnly(e.target.checked), setOffset(0))} /> changed in the newest batch
          </label>
        )}
      </div>
      {counts && (
        <p className="state-counts" data-testid="state-counts">
          Batch {formatBatchTime(newest.batchTimeMs)}: <b>{formatCount(counts.total)}</b> keys; <span data-tone="ok">+{counts.added} added</span>,{" "}
          <span data-tone="warn">{counts.updated} updated</span>, <span data-tone="bad">−{counts.removed} removed</span>, {counts.timedOut} timed out
        </p>
      )}
      {page.error && <p className="error-text">{page.error}</p>}
      {p && (
        <>
          <div className="dash-scroll">
            <StateRows rows={p.rows} sort={sort} desc={desc} onSort={sortBy} />
          </div>
          <div className="dash-toolbar">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <span data-testid="state-range">
              {p.matched === 0 ? "no keys" : `${offset + 1}–${Math.min(offset + PAGE, p.matched)} of ${formatCount(p.matched)}`}
              {p.matched !== p.total && ` (of ${formatCount(p.total)} keys)`}
            </span>
            <button type="button" disabled={offset + PAGE >= p.matched} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </div>
        </>
      )}
      {retained.length > 1 && (
        <>
          <h3>Diff between two batches</h3>
          <div className="dash-toolbar">
            <label>
              from{" "}
              <select value={from} onChange={(e) => setDiffRange({ ...diffRange, from: Number(e.target.value), to })} data-testid="state-diff-from">
                {retained.map((t) => (
                  <option key={t} value={t}>
                    {formatBatchTime(t)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              to{" "}
              <select value={to} onChange={(e) => setDiffRange({ ...diffRange, from, to: Number(e.target.value) })} data-testid="state-diff-to">
                {retained.map((t) => (
                  <option key={t} value={t}>
                    {formatBatchTime(t)}
                  </option>
                ))}
              </select>
            </label>
            {diff.result && (
              <span>
                +{diff.result.counts.added} added, {diff.result.counts.updated} updated, −{diff.result.counts.removed} removed, {diff.result.counts.timedOut} timed out
              </span>
            )}
          </div>
          {diff.error && <p className="error-text">{diff.error}</p>}
          {diff.result && diff.result.rows.length > 0 && (
            <div className="dash-scroll">
              <table className="dash-table" data-testid="state-diff">
                <thead>
                  <tr>
                    <th>Key</th>
                    <th>Change</th>
                    <th>Before</th>
                    <th>After</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.result.rows.map((r) => (
                    <tr key={r.key} data-change={r.change}>
                      <td>
                        <code>{r.key}</code>
                      </td>
                      <td>{r.change}</td>
                      <td className="sample" title={r.before}>
                        {r.before === undefined ? "—" : roundNumbersInText(r.before)}
                      </td>
                      <td className="sample" title={r.after}>
                        {r.after === undefined ? "—" : roundNumbersInText(r.after)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {series.result && series.result.streamId === streamId && (
        <>
          <h3>Top keys over time</h3>
          <StateChart series={series.result} />
        </>
      )}
    </section>
  );
}
