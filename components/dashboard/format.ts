/** Display formats of the dashboard, in Spark's UI style. Browser-safe, no React. */

const pad = (n: number) => String(n).padStart(2, "0");
/** Between a number and its unit in axis ticks, so that "500 ms" never wraps onto two lines. */
const NBSP = "\u00a0";

/**
 * A number rounded for display: at most 2 decimals from 1 up ("4,333.84"), 3 significant digits
 * below 1 ("0.25", "0.00123"), thousands separated. The full value belongs in a title or export.
 */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "—";
  if (!Number.isFinite(n)) return n > 0 ? "∞" : "−∞";
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  const abs = Math.abs(n);
  return abs >= 1
    ? n.toLocaleString("en-US", { maximumFractionDigits: 2 })
    : n.toLocaleString("en-US", { maximumSignificantDigits: 3 });
}

/** The full value of a number, for a title (hover) or an export: JavaScript's shortest exact form. */
export const fullNumber = (n: number): string => String(n);

/** A duration as Spark's UI writes it: "250 ms", "1.5 s", "2 min", "1 h 5 min"; below 10 ms with one decimal. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 10 && !Number.isInteger(ms)) return `${formatNumber(Math.round(ms * 10) / 10)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min${s % 60 >= 1 ? ` ${Math.floor(s % 60)} s` : ""}`;
  const h = Math.floor(min / 60);
  return `${h} h${min % 60 ? ` ${min % 60} min` : ""}`;
}

/** A y-axis tick of a duration: "0.25 ms", "500 ms", "1.5 s", never wrapped. */
export function formatDurationTick(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  if (Math.abs(ms) < 1000) return `${formatTickNumber(ms)}${NBSP}ms`;
  return `${formatTickNumber(ms / 1000)}${NBSP}s`;
}

/** Batch times are wall-clock ms on a system clock, small offsets on a manual one. */
const isWallClock = (ms: number) => ms > 1e11;

/** A batch time: "20:41:07" on the wall clock (".250" when not whole seconds), "t = 3 s" on a manual clock. */
export function formatBatchTime(ms: number): string {
  if (!isWallClock(ms)) return `t = ${formatDuration(ms)}`;
  const d = new Date(ms);
  const frac = ms % 1000 ? `.${String(ms % 1000).padStart(3, "0")}` : "";
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac}`;
}

/** An x-axis tick of a batch time, with the hour: "20:41:07"; "3s" on a manual clock. */
export function formatTick(ms: number): string {
  if (!isWallClock(ms)) return `${formatTickNumber(ms / 1000)}s`;
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatCount(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? "—" : Math.round(n).toLocaleString("en-US");
}

export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return "—";
  return `${perSecond >= 100 ? Math.round(perSecond).toLocaleString("en-US") : perSecond.toFixed(perSecond < 10 ? 2 : 1)} records/s`;
}

/**
 * An axis tick number: exact for the steps an axis picks (0.25 stays 0.25, 1.5 stays 1.5), compact
 * from 10,000 up ("12.5k", "3M").
 */
export function formatTickNumber(n: number): string {
  if (!Number.isFinite(n)) return "";
  if (Math.abs(n) >= 10_000) return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 }).format(n);
  return n.toLocaleString("en-US", { maximumSignificantDigits: 4 });
}

/** @deprecated name kept for callers of the compact axis format; same as formatTickNumber. */
export const formatCompact = formatTickNumber;

/**
 * Round ticks from 0 to the axis maximum (1, 2, 2.5 or 5 × 10^n, as server/runs/aggregate/statistics.ts niceCeil picks): steps of a quarter
 * of 1, a fifth of 2.5 or 5, a quarter of 2, so that no tick reads 62.5 or 187.5.
 */
export function ticksOf(max: number): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const p = 10 ** Math.floor(Math.log10(max));
  const m = Math.round((max / p) * 100) / 100;
  const step = (m === 2.5 || m === 5 ? m / 5 : m / 4) * p;
  const ticks: number[] = [];
  for (let i = 0; i * step <= max * (1 + 1e-9); i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** Decimals with more fraction digits than this in printed text are float noise to round. */
const NOISY = /-?\d+\.\d{7,}(?:[eE][-+]?\d+)?/g;

/**
 * Printed text (a record as Spark prints it) with float noise rounded: "(a,4333.839999999999)"
 * reads "(a,4333.84)". Numbers with at most 6 decimals are left as written; no thousands
 * separators are added, so the text keeps its shape.
 */
export function roundNumbersInText(text: string): string {
  return text.replace(NOISY, (m) => {
    const n = Number(m);
    if (!Number.isFinite(n)) return m;
    const abs = Math.abs(n);
    return abs >= 1 || abs === 0 ? String(Math.round(n * 100) / 100) : String(Number(n.toPrecision(3)));
  });
}

/** A state value's field for a table cell: numbers rounded, text as is, objects as compact JSON with rounded numbers. */
export function formatValue(v: unknown): string {
  if (v === undefined) return "—";
  if (v === null) return "null";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  return roundNumbersInText(JSON.stringify(v) ?? String(v));
}

/** The full form of a value, for a title or a "JSON" view. */
export function fullValue(v: unknown, indent?: number): string {
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  return JSON.stringify(v, null, indent) ?? String(v);
}

/**
 * The columns of a list of state values: the fields of plain objects, in first-seen order (at most
 * `max`); none when a value is not a plain object (such states show as one column).
 */
export function fieldColumns(values: readonly unknown[], max = 8): string[] {
  const cols: string[] = [];
  for (const v of values) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
    for (const k of Object.keys(v)) if (!cols.includes(k)) cols.push(k);
  }
  return cols.slice(0, max);
}
