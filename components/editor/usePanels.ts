"use client";
import { useCallback, useEffect, useState } from "react";

const KEY = "dstream-studio-editor-panels";
interface Panels { minimap: boolean; sideCollapsed: boolean; bottomCollapsed: boolean }

/**
 * Which parts around the canvas are shown, remembered in this browser. On a small window
 * (under 1200 px wide or 800 px high) the minimap starts hidden, to leave the canvas room.
 */
export function usePanels() {
  const [panels, setPanels] = useState<Panels>({ minimap: true, sideCollapsed: false, bottomCollapsed: false });
  useEffect(() => {
    let stored: Partial<Panels> = {};
    try {
      stored = JSON.parse(window.localStorage.getItem(KEY) ?? "{}") as Partial<Panels>;
    } catch {
      stored = {};
    }
    const small = window.innerWidth < 1200 || window.innerHeight < 800;
    setPanels({
      minimap: typeof stored.minimap === "boolean" ? stored.minimap : !small,
      sideCollapsed: stored.sideCollapsed === true,
      bottomCollapsed: stored.bottomCollapsed === true,
    });
  }, []);
  const toggle = useCallback((key: keyof Panels) => {
    setPanels((p) => {
      const next = { ...p, [key]: !p[key] };
      try {
        window.localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // Not remembered; applied for this page.
      }
      return next;
    });
  }, []);
  return {
    ...panels,
    toggleMinimap: useCallback(() => toggle("minimap"), [toggle]),
    toggleSide: useCallback(() => toggle("sideCollapsed"), [toggle]),
    toggleBottom: useCallback(() => toggle("bottomCollapsed"), [toggle]),
  };
}
