"use client";

import { useCallback, useEffect, useState } from "react";

export interface BatchSelection {
  /** The batch whose details are open. */
  selectedBatchMs?: number;
  /** Opens a batch's details (a click in the batch table or the statistics, next to them). */
  selectBatch: (batchTimeMs: number) => void;
  /** Opens a batch's details and scrolls them into view (a click in a panel far from them, such as a flag's trace). */
  revealBatch: (batchTimeMs: number) => void;
  close: () => void;
}

/** Which batch's details a dashboard shows, shared by its panels. */
export function useBatchSelection(): BatchSelection {
  const [selectedBatchMs, setSelectedBatchMs] = useState<number>();
  const [reveal, setReveal] = useState(0);
  const selectBatch = useCallback((t: number) => setSelectedBatchMs(t), []);
  const revealBatch = useCallback((t: number) => {
    setSelectedBatchMs(t);
    setReveal((n) => n + 1);
  }, []);
  const close = useCallback(() => setSelectedBatchMs(undefined), []);
  useEffect(() => {
    if (reveal > 0) document.querySelector('[data-testid="batch-details"]')?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [reveal]);
  return { selectedBatchMs, selectBatch, revealBatch, close };
}
