import { describe, expect, it } from "vitest";
import { columnsOf, rowsFromText, tableRowProblems } from "@/engine/pipeline/tableColumns";

// The columns of the app's tables: fixed for the historic averages the fraud templates join
// with, inferred for others; text typed into the editor becomes values of the column's type.

describe("columnsOf", () => {
  it("gives the historic averages' fixed columns, even with no rows", () => {
    expect(columnsOf("account_aggregates", []).map((c) => `${c.name}:${c.type}`)).toEqual(["account_number:text", "average_transaction:number"]);
  });
  it("infers other tables' columns from their rows, numbers where every value is one", () => {
    expect(columnsOf("t", [{ a: 1, b: "x" }, { a: 2, c: null }])).toEqual([
      { name: "a", type: "number" },
      { name: "b", type: "text" },
      { name: "c", type: "text" },
    ]);
  });
});

describe("rowsFromText", () => {
  const columns = columnsOf("account_aggregates", []);
  it("types each cell by its column: digits stay text in a text column", () => {
    expect(rowsFromText(columns, [{ account_number: "1234", average_transaction: " 42.5 " }])).toEqual({ ok: true, rows: [{ account_number: "1234", average_transaction: 42.5 }] });
  });
  it("names the row and column of every problem", () => {
    expect(rowsFromText(columns, [{ account_number: "a", average_transaction: "1" }, { account_number: "", average_transaction: "x" }])).toEqual({
      ok: false,
      problems: ["row 2: account_number is missing", 'row 2: average_transaction "x" is not a number'],
    });
  });
});

describe("tableRowProblems", () => {
  it("refuses rows of the wrong type or with unknown columns for a known table", () => {
    expect(tableRowProblems("account_aggregates", [{ account_number: 5, average_transaction: "1", extra: 1 }])).toEqual([
      "row 1: account_number must be text, got 5",
      'row 1: average_transaction must be a number, got "1"',
      "row 1: table account_aggregates has no column extra",
    ]);
  });
  it("accepts well-typed rows, and anything for a table it does not know", () => {
    expect(tableRowProblems("account_aggregates", [{ account_number: "a", average_transaction: 1 }])).toEqual([]);
    expect(tableRowProblems("other", [{ x: { nested: true } }])).toEqual([]);
  });
});
