/** One bar of a histogram: values in [from, to) (the last bin also holds `to`). */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/**
 * Counts values into `bins` equal bins over [min, max] (by default the values' own range, from 0
 * for durations and rates), as Spark's Streaming tab draws beside each timeline. Non-finite
 * values are ignored; values outside [min, max] go to the nearest end bin, so none is lost.
 */
export function histogram(values: readonly (number | undefined)[], opts: { bins?: number; min?: number; max?: number } = {}): HistogramBin[] {
  const bins = opts.bins ?? 20;
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram: bins must be a positive whole number (was ${bins})`);
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  // A loop, not Math.min(...values): a long series would overflow the argument list.
  let lo = 0;
  let hi = finite.length > 0 ? -Infinity : 1;
  for (const v of finite) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const min = opts.min ?? lo;
  let max = opts.max ?? hi;
  if (max <= min) max = min + 1; // all values equal: one visible range rather than zero-width bins
  const width = (max - min) / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const v of finite) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width)));
    out[i].count++;
  }
  return out;
}
