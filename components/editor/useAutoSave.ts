"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { PipelineDocument } from "@/engine/pipeline/document";

export type SaveState = { kind: "saved"; version: number } | { kind: "dirty" } | { kind: "saving" } | { kind: "error"; message: string };

/** Saves the document shortly after each edit; `saveNow` flushes (Run saves first). */
export function useAutoSave(pipelineId: string, doc: PipelineDocument, initialVersion: number, delayMs = 700) {
  const [state, setState] = useState<SaveState>({ kind: "saved", version: initialVersion });
  const saved = useRef(doc);
  const latest = useRef(doc);
  latest.current = doc;

  const save = useCallback(async (): Promise<boolean> => {
    const target = latest.current;
    if (target === saved.current) return true;
    setState({ kind: "saving" });
    try {
      const res = await fetch(`/api/pipelines/${pipelineId}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(target) });
      const json = (await res.json()) as { version?: number; error?: string; issues?: { path: string; message: string }[] };
      if (!res.ok) {
        const detail = json.issues?.map((i) => `${i.path}: ${i.message}`).join("; ");
        setState({ kind: "error", message: `${json.error ?? res.statusText}${detail ? ` (${detail})` : ""}` });
        return false;
      }
      saved.current = target;
      setState(latest.current === target ? { kind: "saved", version: json.version ?? 0 } : { kind: "dirty" });
      return true;
    } catch (err) {
      setState({ kind: "error", message: (err as Error).message });
      return false;
    }
  }, [pipelineId]);

  useEffect(() => {
    if (doc === saved.current) return;
    setState((s) => (s.kind === "saving" ? s : { kind: "dirty" }));
    const t = setTimeout(() => void save(), delayMs);
    return () => clearTimeout(t);
  }, [doc, save, delayMs]);

  /** After a restore the server's document is the saved one. */
  const markSaved = useCallback((d: PipelineDocument, version: number) => {
    saved.current = d;
    setState({ kind: "saved", version });
  }, []);

  return { state, saveNow: save, markSaved };
}
