"use client";
import { memo, useMemo, useState } from "react";
import { catalog, CATEGORIES, type NodeKind } from "@/engine/pipeline/catalog";

export const DRAG_MIME = "application/x-dstream-kind";

/** The node kinds by category, filterable; drag one onto the canvas, double-click it, or focus it and press Enter. */
function PaletteImpl({ onAdd }: { onAdd: (kind: NodeKind) => void }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    return CATEGORIES.map((category) => ({
      category,
      entries: Object.values(catalog).filter(
        (d) => d.category === category && (!q || `${d.kind} ${d.label} ${d.doc}`.toLowerCase().includes(q)),
      ),
    })).filter((g) => g.entries.length > 0);
  }, [query]);
  return (
    <aside className="palette" data-testid="palette">
      <input className="palette-search" placeholder="Search nodes…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search nodes" />
      <p id="palette-keys" className="visually-hidden">Enter adds the node next to the selected node, or at the centre of the canvas.</p>
      {groups.map((g) => (
        <section key={g.category}>
          <h3>{g.category}</h3>
          {g.entries.map((d) => (
            <div
              key={d.kind}
              className={`palette-item cat-${d.category.toLowerCase()}`}
              draggable
              tabIndex={0}
              role="button"
              aria-label={`Add ${d.label}`}
              aria-describedby="palette-keys"
              data-testid={`palette-${d.kind}`}
              title={d.doc}
              onKeyDown={(e) => {
                if (e.key !== "Enter" && e.key !== " ") return;
                e.preventDefault();
                onAdd(d.kind as NodeKind);
              }}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_MIME, d.kind);
                e.dataTransfer.effectAllowed = "move";
              }}
              onDoubleClick={() => onAdd(d.kind as NodeKind)}
            >
              {d.label}
            </div>
          ))}
        </section>
      ))}
      {groups.length === 0 ? <p className="muted">No node matches “{query}”.</p> : null}
    </aside>
  );
}
export const Palette = memo(PaletteImpl);
