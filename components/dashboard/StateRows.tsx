"use client";

import { Fragment, useState, type ReactNode } from "react";
import type { StateRow, StateSortField } from "@/server/runs/state/types";
import { fieldColumns, formatBatchTime, formatValue, fullValue } from "./format";

export interface StateRowsProps {
  rows: readonly StateRow[];
  sort: StateSortField;
  desc: boolean;
  onSort: (field: StateSortField) => void;
}

/** The field the server sorts "by value" on: the state itself when a number, else the object's first numeric field. */
function sortedField(rows: readonly StateRow[]): string | undefined {
  const d = rows.find((r) => r.data !== null && typeof r.data === "object")?.data;
  if (!d || Array.isArray(d)) return undefined;
  return Object.entries(d as Record<string, unknown>).find(([, v]) => typeof v === "number" && Number.isFinite(v))?.[0];
}

/**
 * One page of a state snapshot: a state object's fields as columns (numbers rounded, the full
 * value on hover), its whole JSON on demand per row; a state that is not an object is one column.
 */
export function StateRows({ rows, sort, desc, onSort }: StateRowsProps) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const columns = fieldColumns(rows.map((r) => r.data ?? r.value));
  const valueField = sortedField(rows);
  const arrow = (field: StateSortField) => (field === sort ? (desc ? " ▼" : " ▲") : "");
  const toggle = (key: string) => {
    const next = new Set(open);
    if (!next.delete(key)) next.add(key);
    setOpen(next);
  };
  const sortHeader = (field: StateSortField, label: ReactNode, className?: string) => (
    <th className={className} aria-sort={field === sort ? (desc ? "descending" : "ascending") : undefined}>
      <button type="button" onClick={() => onSort(field)}>
        {label}
        {arrow(field)}
      </button>
    </th>
  );
  const span = 4 + Math.max(1, columns.length);
  return (
    <table className="dash-table state-rows" data-testid="state-table" data-columns={columns.join(",") || undefined}>
      <thead>
        <tr>
          {sortHeader("key", "Key")}
          {columns.length === 0
            ? sortHeader("value", "State", "num")
            : columns.map((c) => (c === valueField ? <Fragment key={c}>{sortHeader("value", breakable(c), "num")}</Fragment> : <th key={c} className="num">{breakable(c)}</th>))}
          {sortHeader("updated", "Last updated")}
          <th>Times out</th>
          <th>
            <span className="sr-only">JSON</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const data = r.data === undefined ? r.value : r.data;
          const shown = open.has(r.key);
          return (
            <Fragment key={r.key}>
              <tr data-change={r.change} data-key={r.key}>
                <td className="wrap">
                  <code>{r.key}</code> {r.change && <span className="tag" data-tone={r.change === "added" ? "ok" : "warn"}>{r.change}</span>}
                </td>
                {columns.length === 0 ? (
                  <Cell value={data} />
                ) : (
                  columns.map((c) => <Cell key={c} value={(data as Record<string, unknown>)[c]} field={c} />)
                )}
                <td>{formatBatchTime(r.updatedMs)}</td>
                <td>{r.timesOutAtMs !== undefined ? formatBatchTime(r.timesOutAtMs) : "—"}</td>
                <td>
                  <button type="button" className="dash-button" aria-expanded={shown} aria-label={`JSON of ${r.key}`} onClick={() => toggle(r.key)}>
                    JSON
                  </button>
                </td>
              </tr>
              {shown && (
                <tr className="state-json">
                  <td colSpan={span}>
                    <pre className="console" data-testid="state-json">
                      {fullValue(data, 2)}
                    </pre>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

/** A field name with break points between its camelCase words, so that long names wrap in a header. */
function breakable(name: string): ReactNode {
  const words = name.split(/(?<=[a-z0-9])(?=[A-Z])/);
  return words.map((w, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {w}
    </Fragment>
  ));
}

/** A field's cell: rounded for reading, the full value on hover. */
function Cell({ value, field }: { value: unknown; field?: string }) {
  const numeric = typeof value === "number";
  return (
    <td className={numeric ? "num" : "sample"} title={fullValue(value)} data-field={field}>
      {formatValue(value)}
    </td>
  );
}
