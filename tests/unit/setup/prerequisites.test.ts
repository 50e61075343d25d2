// The check `npm test` runs before any suite: with the tools missing and installing not allowed
// it stops with one message naming them and the install command, before any suite starts; when
// it may install, it runs apt-get for exactly the missing packages and goes on with what apt-get
// put on PATH (here a package manager of the test's own that writes the tools as scripts).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkTools, ensureTools, javaMajorVersion } from "../../../scripts/setup/prerequisites.mjs";

const root = path.resolve(import.meta.dirname, "..", "..", "..");
const dirs: string[] = [];

function emptyBin(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dss-setup-test-"));
  dirs.push(dir);
  return dir;
}

function writeExecutable(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o755 });
}

/** A `java` that reports `version` the way the JDK does (on stderr). */
function fakeJava(bin: string, version: string): void {
  writeExecutable(path.join(bin, "java"), `#!/bin/sh\necho 'openjdk version "${version}" 2025-04-15' >&2\n`);
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm test's prerequisite check", () => {
  it("stops before any suite with one message naming the missing tools and the install command", () => {
    const bin = emptyBin();
    const run = spawnSync(process.execPath, [path.join(root, "scripts", "test-all.mjs")], {
      cwd: root,
      env: { PATH: bin, HOME: os.homedir(), NODE_ENV: "test", DSS_NO_INSTALL: "1" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("npm test needs tools that are missing on this machine:");
    expect(run.stderr).toContain("Chromium, for the browser tests (no chromium on PATH and CHROMIUM_PATH is not set)");
    expect(run.stderr).toContain(
      "a JDK 17+, for the Kafka and Cassandra servers of the integration tests (no java on PATH)",
    );
    expect(run.stderr).toContain("Maven, for fetching the servers' jars from Maven Central (no mvn on PATH)");
    expect(run.stderr).toContain("sudo apt-get update && sudo apt-get install -y chromium default-jdk-headless maven");
    expect(run.stderr).toContain("npm test did not install them itself: DSS_NO_INSTALL=1 is set.");
    // No suite started: no stage header after the setup, and the summary counts the setup alone.
    expect(run.stdout).not.toMatch(/=== (typecheck|lint|vitest|browser)/);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("0 passed, 1 failed");
  });

  it("names only what is missing, a Java that is too old, and a CHROMIUM_PATH that points nowhere", () => {
    const bin = emptyBin();
    fakeJava(bin, "11.0.2");
    writeExecutable(path.join(bin, "mvn"), "#!/bin/sh\n");
    const { missing } = checkTools({ PATH: bin, CHROMIUM_PATH: path.join(bin, "no-such-browser") });
    expect(missing.map((tool) => [tool.aptPackage, tool.problem])).toEqual([
      ["chromium", `CHROMIUM_PATH=${path.join(bin, "no-such-browser")} is not an executable file`],
      ["default-jdk-headless", `${path.join(bin, "java")} is Java 11`],
    ]);
  });

  it("reads Java's major version from both version schemes", () => {
    const bin = emptyBin();
    fakeJava(bin, "1.8.0_392");
    expect(javaMajorVersion(path.join(bin, "java"))).toBe(8);
    fakeJava(bin, "21.0.5");
    expect(javaMajorVersion(path.join(bin, "java"))).toBe(21);
  });

  it("with no apt-get and installing allowed, still stops and says why it did not install", async () => {
    const result = await ensureTools({ env: { PATH: emptyBin() }, log: () => {} });
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toContain(
      "npm test did not install them itself: there is no apt-get on this system.",
    );
  });

  it("installs the missing packages with apt-get when it may, then finds them", async () => {
    const bin = emptyBin();
    writeExecutable(path.join(bin, "mvn"), "#!/bin/sh\n");
    // A package manager that records its calls and, on install, puts each package's tool on PATH.
    writeExecutable(
      path.join(bin, "apt-get"),
      `#!${process.execPath}
const fs = require("node:fs");
const path = require("node:path");
const bin = ${JSON.stringify(bin)};
const args = process.argv.slice(2);
fs.appendFileSync(path.join(bin, "calls"), args.join(" ") + " [" + process.env.DEBIAN_FRONTEND + "]\\n");
const tools = {
  chromium: ["chromium", "#!/bin/sh\\n"],
  "default-jdk-headless": ["java", "#!/bin/sh\\necho 'openjdk version \\"17.0.15\\" 2025-04-15' >&2\\n"],
  maven: ["mvn", "#!/bin/sh\\n"],
};
if (args[0] === "install") for (const name of args) if (tools[name]) fs.writeFileSync(path.join(bin, tools[name][0]), tools[name][1], { mode: 0o755 });
`,
    );
    // Not root: a sudo that runs its command without asking (what passwordless sudo does).
    writeExecutable(path.join(bin, "sudo"), `#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n`);
    const lines: string[] = [];
    const result = await ensureTools({
      env: { PATH: bin },
      log: (line: string) => lines.push(line),
      logFile: path.join(bin, "apt.log"),
    });
    expect(result).toEqual({ ok: true, env: { CHROMIUM_PATH: path.join(bin, "chromium") } });
    expect(fs.readFileSync(path.join(bin, "calls"), "utf8").trim().split("\n")).toEqual([
      "update -qq [noninteractive]",
      "install -y -qq chromium default-jdk-headless [noninteractive]",
    ]);
    expect(lines[0]).toMatch(/^installing chromium, default-jdk-headless with apt-get/);
    expect(lines.at(-1)).toBe("installed chromium, default-jdk-headless");
  });
});
