import { describe, expect, it } from "vitest";
import { parseThemeChoice, resolveTheme, THEME_BOOT_SCRIPT, THEME_KEY } from "@/components/ui/themeChoice";

describe("the colour theme", () => {
  it("follows the OS under system, else the choice; anything else stored counts as system", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
    expect(parseThemeChoice("dark")).toBe("dark");
    expect(parseThemeChoice("purple")).toBe("system");
    expect(parseThemeChoice(null)).toBe("system");
  });

  it("the boot script applies the stored choice before the first paint", () => {
    const root = { dataset: {} as Record<string, string> };
    const run = (stored: string | null, dark: boolean) => {
      root.dataset = {};
      new Function("localStorage", "matchMedia", "document", THEME_BOOT_SCRIPT)(
        { getItem: (k: string) => (k === THEME_KEY ? stored : null) },
        () => ({ matches: dark }),
        { documentElement: root },
      );
      return root.dataset;
    };
    expect(run("dark", false)).toEqual({ theme: "dark", themeChoice: "dark" });
    expect(run(null, true)).toEqual({ theme: "dark", themeChoice: "system" });
    expect(run("light", true)).toEqual({ theme: "light", themeChoice: "light" });
  });
});
