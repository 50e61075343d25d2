"use client";

import { useMemo } from "react";
import { windowTimelines } from "@/server/runs/aggregate/windows";
import type { BatchSummary } from "@/server/runs/types";
import { WindowTimeline } from "./WindowTimeline";

/** The window timelines of every windowed stream of the run; absent when the run has no windows. */
export function WindowsPanel({ batches, batchIntervalMs }: { batches: readonly BatchSummary[]; batchIntervalMs: number }) {
  const timelines = useMemo(() => windowTimelines(batches, batchIntervalMs), [batches, batchIntervalMs]);
  if (timelines.length === 0) return null;
  return (
    <section className="dash-section" aria-label="Windows">
      <h2>
        Windows <small>the batches each computed window covered; newest window highlighted</small>
      </h2>
      {timelines.map((tl) => (
        <WindowTimeline key={tl.streamId} timeline={tl} />
      ))}
      <div className="wtl-legend">
        <span>
          <i style={{ background: "color-mix(in srgb, var(--accent) 45%, transparent)" }} />
          covered by the window
        </span>
        <span>
          <i style={{ border: "2px solid var(--ok)" }} />+ entered at this slide
        </span>
        <span>
          <i style={{ border: "2px dashed var(--bad)" }} />− left at this slide
        </span>
        <span>→ slide step</span>
      </div>
    </section>
  );
}
