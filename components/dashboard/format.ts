/** Display formats of the dashboard, in Spark's UI style. Browser-safe, no React. */

const pad = (n: number) => String(n).padStart(2, "0");

/** A duration as Spark's UI writes it: "250 ms", "1.5 s", "2 min", "1 h 5 min". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min${s % 60 >= 1 ? ` ${Math.floor(s % 60)} s` : ""}`;
  const h = Math.floor(min / 60);
  return `${h} h${min % 60 ? ` ${min % 60} min` : ""}`;
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

/** A short axis tick of a batch time. */
export function formatTick(ms: number): string {
  if (!isWallClock(ms)) return `${ms / 1000}s`;
  const d = new Date(ms);
  return `${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatCount(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? "—" : Math.round(n).toLocaleString("en-US");
}

export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return "—";
  return `${perSecond >= 100 ? Math.round(perSecond).toLocaleString("en-US") : perSecond.toFixed(perSecond < 10 ? 2 : 1)} records/s`;
}

/** A short axis number: 950, 1.2k, 3M. */
export function formatCompact(n: number): string {
  return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(n);
}
