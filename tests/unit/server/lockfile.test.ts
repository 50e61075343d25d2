import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..", "..", "..");
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> };
const nameOf = (key: string) => key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);

describe("the install", () => {
  it("has one better-sqlite3 (a native module compiled at install when no prebuilt binary downloads)", () => {
    const copies = Object.keys(lock.packages).filter((key) => nameOf(key) === "better-sqlite3");
    expect(copies).toEqual(["node_modules/better-sqlite3"]);
  });

  it("names every package with an install script in allowScripts", () => {
    const scripted = [...new Set(Object.entries(lock.packages).filter(([key, p]) => key && p.hasInstallScript).map(([key]) => nameOf(key)))].sort();
    const allowed = Object.keys(manifest.allowScripts ?? {});
    expect(scripted.filter((name) => !allowed.includes(name))).toEqual([]);
  });
});
