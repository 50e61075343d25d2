"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { PipelineDocument } from "@/engine/pipeline/document";

export type SaveState =
  | { kind: "saved"; version: number; draft: boolean }
  | { kind: "dirty" }
  | { kind: "saving" }
  | { kind: "error"; message: string };

/** How long the editor waits after the last edit: to save the working copy, and to keep a version. */
export const DRAFT_DELAY_MS = 700;
export const VERSION_DELAY_MS = 5000;

type Answer = { version?: number; error?: string; issues?: { path: string; message: string }[] };

/**
 * Saves the document as the user edits, without one version per keystroke: shortly after each
 * edit the working copy is saved (PUT …/draft, no version); after a pause of a few seconds, and
 * only while the document has no errors, it is kept as a version (PUT …). `saveNow` keeps a
 * version at once (Run does, so a run always runs a version).
 */
export function useAutoSave(pipelineId: string, doc: PipelineDocument, initialVersion: number, options: { canVersion: boolean; initialIsDraft?: boolean }) {
  const { canVersion, initialIsDraft = false } = options;
  const [state, setState] = useState<SaveState>({ kind: "saved", version: initialVersion, draft: initialIsDraft });
  const saved = useRef(doc);
  const versioned = useRef<PipelineDocument | null>(initialIsDraft ? null : doc);
  const version = useRef(initialVersion);
  const latest = useRef(doc);
  latest.current = doc;
  // One request at a time, in order: a late draft never lands after the version that follows it.
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  const send = useCallback(
    (kind: "draft" | "version"): Promise<boolean> => {
      const run = async (): Promise<boolean> => {
        const target = latest.current;
        if (kind === "draft" && target === saved.current) return true;
        if (kind === "version" && target === versioned.current) return true;
        setState({ kind: "saving" });
        try {
          const url = kind === "draft" ? `/api/pipelines/${pipelineId}/draft` : `/api/pipelines/${pipelineId}`;
          const res = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(target) });
          const json = (await res.json().catch(() => ({}))) as Answer;
          if (!res.ok) {
            const detail = json.issues?.map((i) => `${i.path}: ${i.message}`).join("; ");
            setState({ kind: "error", message: `${json.error ?? res.statusText}${detail ? ` (${detail})` : ""}` });
            return false;
          }
          saved.current = target;
          if (kind === "version") versioned.current = target;
          version.current = json.version ?? version.current;
          setState(latest.current === target ? { kind: "saved", version: version.current, draft: target !== versioned.current } : { kind: "dirty" });
          return true;
        } catch (err) {
          setState({ kind: "error", message: (err as Error).message });
          return false;
        }
      };
      const next = queue.current.then(run, run);
      queue.current = next;
      return next;
    },
    [pipelineId],
  );

  useEffect(() => {
    if (doc === saved.current) return;
    setState((s) => (s.kind === "saving" ? s : { kind: "dirty" }));
    const t = setTimeout(() => void send("draft"), DRAFT_DELAY_MS);
    return () => clearTimeout(t);
  }, [doc, send]);

  // A document with errors stays a draft: versions are documents that could run.
  useEffect(() => {
    if (!canVersion || doc === versioned.current) return;
    const t = setTimeout(() => void send("version"), VERSION_DELAY_MS);
    return () => clearTimeout(t);
  }, [doc, canVersion, send]);

  const saveNow = useCallback(() => send("version"), [send]);

  /** After a restore the server's document is the saved version. */
  const markSaved = useCallback((d: PipelineDocument, v: number) => {
    saved.current = d;
    versioned.current = d;
    version.current = v;
    setState({ kind: "saved", version: v, draft: false });
  }, []);

  return { state, saveNow, markSaved };
}
