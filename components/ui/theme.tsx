"use client";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { parseThemeChoice, resolveTheme, THEME_CHOICES, THEME_KEY, type Theme, type ThemeChoice } from "./themeChoice";

const root = () => document.documentElement;
const DARK_QUERY = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(root(), { attributes: true, attributeFilter: ["data-theme"] });
  return () => observer.disconnect();
}

/** The theme in effect ("light" or "dark"), for parts that take it as a prop (CodeMirror, React Flow). */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, () => (root().dataset.theme === "dark" ? "dark" : "light"), () => "light");
}

function apply(choice: ThemeChoice): void {
  root().dataset.theme = resolveTheme(choice, window.matchMedia(DARK_QUERY).matches);
  root().dataset.themeChoice = choice;
}

const LABELS: Record<ThemeChoice, string> = { system: "System theme", light: "Light", dark: "Dark" };

/** Light, dark or the OS setting; remembered in this browser. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => {
    let stored: ThemeChoice = "system";
    try {
      stored = parseThemeChoice(window.localStorage.getItem(THEME_KEY));
    } catch {
      // Storage can be refused (privacy settings): the OS setting applies then.
    }
    setChoice(stored);
    apply(stored);
  }, []);
  // While following the OS, follow its changes too.
  useEffect(() => {
    if (choice !== "system") return;
    const media = window.matchMedia(DARK_QUERY);
    const onChange = () => apply("system");
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, [choice]);
  const change = useCallback((next: ThemeChoice) => {
    setChoice(next);
    apply(next);
    try {
      window.localStorage.setItem(THEME_KEY, next);
    } catch {
      // Not remembered, but applied for this page.
    }
  }, []);
  return (
    <label className="theme-toggle">
      <span className="visually-hidden">Colour theme</span>
      <select value={choice} onChange={(e) => change(parseThemeChoice(e.target.value))} data-testid="theme-toggle" aria-label="Colour theme">
        {THEME_CHOICES.map((c) => (
          <option key={c} value={c}>{LABELS[c]}</option>
        ))}
      </select>
    </label>
  );
}
