"use client";

import { useMemo, useState, type MouseEvent } from "react";
import type { FacetCount } from "@/server/runs/RunStore";
import type { BatchSummary, FlagReport } from "@/server/runs/types";
import { FlagDetails } from "./FlagDetails";
import { firedField, formatAmount } from "./flagText";
import { formatBatchTime, formatCount } from "./format";
import { useFlagFacets } from "./live/useFlagFacets";
import { usePagedRecords } from "./live/usePagedRecords";

export interface FlagsPanelProps {
  runId: string;
  refreshKey: number;
  liveKey: string;
  batchIntervalMs: number;
  batches: readonly BatchSummary[];
  /** The run's pipeline has a fraud flags output: the panel shows before the first flag. */
  expectFlags: boolean;
  onSelectBatch: (t: number) => void;
}

/**
 * Possible frauds of the run's fraud flags outputs: the account, the rule that fired and the numbers
 * it compared, the window; filters by account and rule, a CSV export, and each flag's trace.
 */
export function FlagsPanel(props: FlagsPanelProps) {
  const [account, setAccount] = useState("");
  const [rule, setRule] = useState("");
  const [openId, setOpenId] = useState<number>();
  const [exportError, setExportError] = useState<string>();
  const filter = useMemo(() => ({ account, rule }), [account, rule]);
  const { items, total, hasOlder, loadOlder, dropped, error } = usePagedRecords<FlagReport>(props.runId, "flags", props.refreshKey, props.liveKey, filter);
  const facets = useFlagFacets(props.runId, props.refreshKey, props.liveKey);
  const filtered = account !== "" || rule !== "";
  if (items.length === 0 && !error && !filtered && !props.expectFlags) return null;

  const open = items.find((i) => i.id === openId);
  const csv = `/api/runs/${encodeURIComponent(props.runId)}/flags/csv?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== ""))}`;
  // Fetched rather than followed, so that a refused export shows its reason instead of saving it as a file.
  const exportCsv = async (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    setExportError(undefined);
    try {
      const res = await fetch(csv);
      if (!res.ok) return setExportError(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`);
      const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "flags.csv";
      const url = URL.createObjectURL(await res.blob());
      const a = Object.assign(document.createElement("a"), { href: url, download: name });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError((err as Error).message);
    }
  };
  return (
    <section className="dash-section" aria-label="Fraud flags">
      <h2>
        Fraud flags{" "}
        <small data-testid="flag-count">
          {formatCount(total)} {filtered ? "matching" : "flagged"}, newest first
        </small>
      </h2>
      <div className="dash-toolbar">
        <FacetSelect label="Account" value={account} onChange={setAccount} options={facets.accounts} />
        <FacetSelect label="Rule" value={rule} onChange={setRule} options={facets.rules} />
        {filtered && (
          <button type="button" onClick={() => (setAccount(""), setRule(""))}>
            Clear filters
          </button>
        )}
        <a className="dash-button" href={csv} download onClick={(e) => void exportCsv(e)} data-testid="flags-csv">
          Export CSV
        </a>
      </div>
      {exportError && (
        <p className="error-text" role="alert">
          Export refused: {exportError}
        </p>
      )}
      {dropped > 0 && (
        <p className="run-notice" data-testid="flags-dropped">
          {formatCount(dropped)} more flags were raised but not stored: at most 100 per node and batch are kept.
        </p>
      )}
      {error && <p className="error-text">{error}</p>}
      {items.length === 0 && !error ? (
        <p className="muted" data-testid="flags-empty">
          {filtered ? "No flag matches these filters." : "No possible fraud yet: flags appear when a window closes and a rule fires."}
        </p>
      ) : (
        <div className="dash-scroll">
          <table className="dash-table" data-testid="fraud-flags">
            <thead>
              <tr>
                <th>Batch</th>
                <th>Window</th>
                <th>Account</th>
                <th>Rule</th>
                {/* Break points inside the field names, so that the table fits its card at 1024 px. */}
                <th className="num">
                  average<wbr />Tx
                </th>
                <th className="num">
                  window<wbr />Spending<wbr />Avg
                </th>
                <th className="num">Historic avg</th>
                <th className="num">Amount</th>
                <th className="num">Threshold</th>
                <th>Transactions</th>
              </tr>
            </thead>
            <tbody>
              {items.map(({ id, item: { flag, batchTimeMs } }) => {
                const fired = firedField(flag);
                const cell = (field: "averageTx" | "windowSpendingAvg" | "amount") => (
                  <td className="num" data-fired={fired === field ? "" : undefined} title={flag[field] === null ? undefined : String(flag[field])}>
                    {formatAmount(flag[field])}
                  </td>
                );
                return (
                  <tr
                    key={id}
                    data-clickable
                    data-selected={id === openId ? "" : undefined}
                    data-account={flag.account}
                    data-rule={flag.rule}
                    title="Show the transactions and batches behind this flag"
                    onClick={() => setOpenId(id === openId ? undefined : id)}
                  >
                    <td>{formatBatchTime(batchTimeMs)}</td>
                    <td className="muted">{flag.window ? `(${formatBatchTime(flag.window.startMs)}, ${formatBatchTime(flag.window.endMs)}]` : "—"}</td>
                    <td>
                      <code>{flag.account}</code>
                    </td>
                    <td>{flag.rule}</td>
                    {cell("averageTx")}
                    {cell("windowSpendingAvg")}
                    <td className="num" title={flag.historicAvg === null ? undefined : String(flag.historicAvg)}>
                      {formatAmount(flag.historicAvg)}
                    </td>
                    {cell("amount")}
                    <td className="num">{formatAmount(flag.threshold)}</td>
                    <td className="sample">{flag.txIds.join(", ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {hasOlder && (
        <button type="button" className="dash-button" onClick={loadOlder}>
          Older
        </button>
      )}
      {open && (
        <FlagDetails stored={open} batchIntervalMs={props.batchIntervalMs} batches={props.batches} onSelectBatch={props.onSelectBatch} onClose={() => setOpenId(undefined)} />
      )}
    </section>
  );
}

function FacetSelect(props: { label: string; value: string; onChange: (v: string) => void; options: readonly FacetCount[] }) {
  // The selected value stays listed even when the facets have not caught up with it.
  const options = props.value && !props.options.some((o) => o.value === props.value) ? [{ value: props.value, count: 0 }, ...props.options] : props.options;
  return (
    <label>
      {props.label}{" "}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-label={`Filter flags by ${props.label.toLowerCase()}`}>
        <option value="">all</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.value} ({formatCount(o.count)})
          </option>
        ))}
      </select>
    </label>
  );
}
