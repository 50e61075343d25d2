import type { CountedRecord } from "@/engine/replay/types";

/** Records added (+) or removed (−) with their counts, as a console block. */
export function RecordChanges({ added, removed, label }: { added: readonly CountedRecord[]; removed: readonly CountedRecord[]; label: string }) {
  if (added.length === 0 && removed.length === 0) return <p className="muted">Same records.</p>;
  return (
    <pre className="console replay-changes" tabIndex={0} aria-label={label}>
      {added.map((r, i) => (
        <span key={`a${i}`} className="replay-added" data-change="added">
          {`+ ${r.record}${r.count > 1 ? `  ×${r.count}` : ""}\n`}
        </span>
      ))}
      {removed.map((r, i) => (
        <span key={`r${i}`} className="replay-removed" data-change="removed">
          {`− ${r.record}${r.count > 1 ? `  ×${r.count}` : ""}\n`}
        </span>
      ))}
    </pre>
  );
}
