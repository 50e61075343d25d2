import type { WindowTimeline as Timeline } from "@/server/runs/aggregate/windows";
import { formatDuration, formatTick } from "./format";

const CELL = 44;
const LABEL = 78;
const AXIS_Y = 12;
const BUCKET_Y = 18;
const BUCKET_H = 20;
const ROW_H = 18;
const ROW_GAP = 10;
const FIRST_ROW_Y = BUCKET_Y + BUCKET_H + 16;

/**
 * One windowed stream's timeline, drawn like the article's figures: the parent's batch buckets
 * on a time axis, then one row per recent window with the batches it covered, the batches that
 * entered (+) and left (−) at that slide, and the slide step as an arrow. The newest window is
 * highlighted and slides in as it is computed.
 */
export function WindowTimeline({ timeline: tl }: { timeline: Timeline }) {
  const n = tl.batchTimesMs.length;
  const origin = tl.batchTimesMs[0] - tl.parentIntervalMs;
  const x = (timeMs: number) => LABEL + Math.max(0, ((timeMs - origin) / tl.parentIntervalMs) * CELL);
  const cell = (t: number) => ({ x: x(t - tl.parentIntervalMs), width: CELL });
  const width = LABEL + n * CELL + 8;
  const height = FIRST_ROW_Y + tl.windows.length * (ROW_H + ROW_GAP);
  const step = Math.max(1, Math.ceil(n / 16)); // at most ~16 axis labels
  return (
    <figure style={{ margin: 0 }} data-testid="window-timeline" data-stream={tl.streamId}>
      <figcaption className="dash-toolbar">
        <code>{tl.streamId}</code>
        <span>
          window {formatDuration(tl.windowDurationMs)}, slide {formatDuration(tl.slideDurationMs)} over batches of {formatDuration(tl.parentIntervalMs)}
        </span>
        <span className="tag">{tl.inverse ? "inverse reduce: entered added, left subtracted" : "recomputed from covered batches"}</span>
      </figcaption>
      {/* Never wider than its own size: a run's first few batches would otherwise fill the page. */}
      <svg className="wtl" viewBox={`0 0 ${width} ${height}`} style={{ maxWidth: width }} role="img" aria-label={`Window timeline of ${tl.streamId}`}>
        <defs>
          <marker id="wtl-arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M0,0 L6,3 L0,6 z" fill="var(--ink)" />
          </marker>
        </defs>
        <text x={0} y={BUCKET_Y + 14}>
          batches
        </text>
        {tl.batchTimesMs.map((t, i) => (
          <g key={t}>
            <rect className="bucket" {...cell(t)} y={BUCKET_Y} height={BUCKET_H} />
            {i % step === 0 && (
              <text x={x(t) - 3} y={AXIS_Y} textAnchor="end">
                {formatTick(t)}
              </text>
            )}
          </g>
        ))}
        {tl.windows.map((w, i) => {
          const y = FIRST_ROW_Y + i * (ROW_H + ROW_GAP);
          const current = i === tl.windows.length - 1;
          const prev = i > 0 ? tl.windows[i - 1] : undefined;
          return (
            <g key={w.windowEndMs} className={current ? "current" : undefined} data-window-end={w.windowEndMs} data-covered={w.coveredTimesMs.join(" ")}>
              <text x={0} y={y + 13}>
                at {formatTick(w.windowEndMs)}
              </text>
              {w.coveredTimesMs.map((t) => (
                <rect key={`c${t}`} className="covered" {...cell(t)} y={y} height={ROW_H} />
              ))}
              <rect className="span" x={x(w.windowStartMs)} y={y} width={Math.max(0, x(w.windowEndMs) - x(w.windowStartMs))} height={ROW_H} rx={3} />
              {w.entered.map((t) => (
                <g key={`e${t}`}>
                  <rect className="entered" x={cell(t).x + 2} y={y + 2} width={CELL - 4} height={ROW_H - 4} rx={2} />
                  <text className="mark-entered" x={cell(t).x + CELL / 2} y={y + 13} textAnchor="middle">
                    +
                  </text>
                </g>
              ))}
              {w.left.map((t) => (
                <g key={`l${t}`}>
                  <rect className="left" x={cell(t).x + 2} y={y + 2} width={CELL - 4} height={ROW_H - 4} rx={2} />
                  <text className="mark-left" x={cell(t).x + CELL / 2} y={y + 13} textAnchor="middle">
                    −
                  </text>
                </g>
              ))}
              {prev && x(w.windowEndMs) > x(prev.windowEndMs) && (
                <line className="slide" x1={x(prev.windowEndMs)} x2={x(w.windowEndMs) - 1} y1={y - 4} y2={y - 4} />
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
