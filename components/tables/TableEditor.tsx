"use client";

import { useState } from "react";
import { columnsOf, rowsFromText } from "@/engine/pipeline/tableColumns";

type Cell = string | number | boolean | null;
type Row = Record<string, Cell>;

const asText = (v: Cell | undefined): string => (v === null || v === undefined ? "" : String(v));

/**
 * Edits a table of the app's database (e.g. the historic averages the fraud templates join
 * with): edit cells, add and remove rows, save. Cells are edited as text and typed by their
 * column when saved, so a number column never receives text and a key column never a number.
 * Runs read tables when they start.
 */
export function TableEditor({ table, initialRows }: { table: string; initialRows: Row[] }) {
  // The columns are fixed when the editor opens: removing every row keeps them.
  const [columns] = useState(() => columnsOf(table, initialRows));
  const [rows, setRows] = useState<Record<string, string>[]>(() => initialRows.map((r) => Object.fromEntries(columns.map((c) => [c.name, asText(r[c.name])]))));
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [dirty, setDirty] = useState(false);

  const edit = (i: number, column: string, text: string) => {
    setRows((current) => current.map((row, j) => (j === i ? { ...row, [column]: text } : row)));
    setDirty(true);
  };
  const addRow = () => {
    setRows((current) => [...current, Object.fromEntries(columns.map((c) => [c.name, ""]))]);
    setDirty(true);
  };
  const removeRow = (i: number) => {
    setRows((current) => current.filter((_, j) => j !== i));
    setDirty(true);
  };
  const save = async () => {
    setMessage(null);
    const typed = rowsFromText(columns, rows);
    if (!typed.ok) return setMessage({ tone: "error", text: `Not saved: ${typed.problems.join("; ")}` });
    const res = await fetch(`/api/tables/${encodeURIComponent(table)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rows: typed.rows }),
    });
    const body = (await res.json()) as { error?: string; problems?: string[]; issues?: { path: (string | number)[]; message: string }[] };
    if (!res.ok) {
      const detail = body.problems?.join("; ") ?? body.issues?.map((i) => `row ${Number(i.path[1]) + 1}: ${i.message}`).join("; ");
      setMessage({ tone: "error", text: `${body.error ?? res.statusText}${detail ? ` (${detail})` : ""}` });
      return;
    }
    setDirty(false);
    setMessage({ tone: "ok", text: "Saved. Runs read tables when they start: the change takes effect on the next run." });
  };

  return (
    <>
      <table className="plain table-editor" data-testid="table-editor">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.name} className={c.type === "number" ? "num" : undefined}>
                {c.name}
              </th>
            ))}
            <th aria-label="actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c.name}>
                  <input
                    aria-label={`${c.name} of row ${i + 1}`}
                    inputMode={c.type === "number" ? "decimal" : undefined}
                    value={row[c.name] ?? ""}
                    onChange={(e) => edit(i, c.name, e.target.value)}
                  />
                </td>
              ))}
              <td>
                <button type="button" className="button" onClick={() => removeRow(i)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="meta" style={{ marginTop: 12 }}>
        <button type="button" className="button" onClick={addRow} disabled={columns.length === 0}>
          Add row
        </button>
        <button type="button" className="button primary" onClick={() => void save()} disabled={!dirty}>
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
