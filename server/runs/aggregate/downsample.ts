/** The most points a chart series carries; longer series are downsampled first. */
export const MAX_SERIES_POINTS = 1000;

/**
 * Shrinks a series to at most `maxPoints` points, keeping its extremes: the points are cut into
 * buckets of equal count and each bucket keeps its minimum and its maximum (in time order), so
 * a spike in processing time never disappears from the chart. The first and last points are kept.
 * Points with a non-finite `y` (a batch still running) are dropped from the extremes' contest but
 * a bucket made only of them keeps its first point.
 */
export function downsampleMinMax<P>(points: readonly P[], y: (p: P) => number | undefined, maxPoints = MAX_SERIES_POINTS): P[] {
  if (maxPoints < 4) throw new Error(`downsampleMinMax: maxPoints must be at least 4 (was ${maxPoints})`);
  if (points.length <= maxPoints) return [...points];
  const first = points[0];
  const last = points[points.length - 1];
  const inner = points.slice(1, -1);
  // Each bucket yields up to 2 points; 2 more for the ends.
  const buckets = Math.floor((maxPoints - 2) / 2);
  const out: P[] = [first];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * inner.length) / buckets);
    const to = Math.floor(((b + 1) * inner.length) / buckets);
    if (to <= from) continue;
    let minI = -1;
    let maxI = -1;
    for (let i = from; i < to; i++) {
      const v = y(inner[i]);
      if (v === undefined || !Number.isFinite(v)) continue;
      if (minI < 0 || v < (y(inner[minI]) as number)) minI = i;
      if (maxI < 0 || v > (y(inner[maxI]) as number)) maxI = i;
    }
    if (minI < 0) out.push(inner[from]);
    else if (minI === maxI) out.push(inner[minI]);
    else if (minI < maxI) out.push(inner[minI], inner[maxI]);
    else out.push(inner[maxI], inner[minI]);
  }
  out.push(last);
  return out;
}
