import type { FraudFlag } from "@/engine/pipeline/fraud/flags";

/** Display helpers of the fraud panel. Browser-safe, no React. */

export const formatAmount = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? "—" : n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Which of the flag's numbers its rule compared: the column the panel highlights. */
export function firedField(flag: Pick<FraudFlag, "rule" | "amount">): "averageTx" | "windowSpendingAvg" | "amount" | undefined {
  if (flag.rule === "averageTx" || flag.rule === "windowSpendingAvg") return flag.rule;
  return flag.amount !== null ? "amount" : undefined;
}

/** The comparison that raised the flag, in numbers: "averageTx 2,314.27 − historic 250.00 = 2,064.27 > 2,000.00". */
export function explainFlag(flag: FraudFlag): string {
  const field = firedField(flag);
  if ((field === "averageTx" || field === "windowSpendingAvg") && flag.historicAvg !== null) {
    const value = flag[field];
    return `${field} ${formatAmount(value)} − historic ${formatAmount(flag.historicAvg)} = ${formatAmount(value - flag.historicAvg)} > ${formatAmount(flag.threshold)}`;
  }
  if (field === "amount") return `amount ${formatAmount(flag.amount)} > ${formatAmount(flag.threshold)}`;
  return `rule ${flag.rule}`;
}

/**
 * The batch times a flag's window covers: (startMs, endMs] in steps of the batch interval. A flag
 * with no window (its stream is not windowed) comes from its own batch alone.
 */
export function windowBatchTimes(flag: Pick<FraudFlag, "window" | "batchTimeMs">, batchIntervalMs: number): number[] {
  const { startMs, endMs } = flag.window ?? { startMs: flag.batchTimeMs, endMs: flag.batchTimeMs };
  if (!(batchIntervalMs > 0) || endMs <= startMs) return [flag.batchTimeMs];
  const times: number[] = [];
  // Batch times are whole multiples of the interval from the window's end; cap a corrupt window.
  for (let t = endMs; t > startMs && times.length < 1000; t -= batchIntervalMs) times.push(t);
  return times.reverse();
}
