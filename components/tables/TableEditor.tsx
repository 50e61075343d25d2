"use client";

import { useMemo, useState } from "react";

type Cell = string | number | boolean | null;
type Row = Record<string, Cell>;

/** A cell's text as typed back into its value: numbers stay numbers, the rest is text. */
function parseCell(text: string, previous: Cell): Cell {
  if (typeof previous === "number" || (previous === null && text.trim() !== "" && !Number.isNaN(Number(text)))) {
    const n = Number(text);
    return text.trim() !== "" && Number.isFinite(n) ? n : text;
  }
  return text;
}

/**
 * Edits a table of the app's database (e.g. the historic averages the fraud templates join
 * with): edit cells, add and remove rows, save. Runs read tables when they start.
 */
export function TableEditor({ table, initialRows }: { table: string; initialRows: Row[] }) {
  const [rows, setRows] = useState<Row[]>(initialRows);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [dirty, setDirty] = useState(false);
  const columns = useMemo(() => {
    const names = new Set<string>();
    for (const row of rows) for (const key of Object.keys(row)) names.add(key);
    return [...names];
  }, [rows]);

  const edit = (i: number, column: string, text: string) => {
    setRows((current) => current.map((row, j) => (j === i ? { ...row, [column]: parseCell(text, row[column] ?? null) } : row)));
    setDirty(true);
  };
  const addRow = () => {
    setRows((current) => [...current, Object.fromEntries(columns.map((c) => [c, null]))]);
    setDirty(true);
  };
  const removeRow = (i: number) => {
    setRows((current) => current.filter((_, j) => j !== i));
    setDirty(true);
  };
  const save = async () => {
    setMessage(null);
    const res = await fetch(`/api/tables/${encodeURIComponent(table)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rows }),
    });
    const body = (await res.json()) as { error?: string; issues?: { path: (string | number)[]; message: string }[] };
    if (!res.ok) {
      const detail = body.issues?.map((i) => `row ${Number(i.path[1]) + 1}: ${i.message}`).join("; ");
      setMessage({ tone: "error", text: `${body.error ?? res.statusText}${detail ? ` (${detail})` : ""}` });
      return;
    }
    setDirty(false);
    setMessage({ tone: "ok", text: "Saved. Runs read tables when they start: the change takes effect on the next run." });
  };

  return (
    <>
      <table className="plain" data-testid="table-editor">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
            <th aria-label="actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>
                  <input
                    aria-label={`${c} of row ${i + 1}`}
                    value={row[c] === null || row[c] === undefined ? "" : String(row[c])}
                    onChange={(e) => edit(i, c, e.target.value)}
                  />
                </td>
              ))}
              <td>
                <button type="button" onClick={() => removeRow(i)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="meta" style={{ marginTop: 12 }}>
        <button type="button" onClick={addRow} disabled={columns.length === 0}>
          Add row
        </button>
        <button type="button" onClick={() => void save()} disabled={!dirty}>
          Save
        </button>
        {dirty ? <span>unsaved changes</span> : null}
      </p>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} data-testid="table-message">
          {message.text}
        </p>
      ) : null}
    </>
  );
}
