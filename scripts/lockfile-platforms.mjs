// Adds lockfile entries for optional platform packages (e.g. @next/swc-darwin-arm64) that a
// filtered registry does not serve: npm then leaves them out and `npm ci` refuses the lockfile.
// Run after `npm install` changes package-lock.json: `node scripts/lockfile-platforms.mjs`.
import fs from "node:fs";
const lockPath = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(fs.readFileSync(lockPath, "utf8"));
const pkgs = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(pkgs)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = `${path ? path + "/" : ""}node_modules/${name}`;
    if (pkgs[key] || pkgs[nested]) continue;
    if (!/^\d+\.\d+\.\d+/.test(range)) continue;
    const m = name.match(/(darwin|win32|linux|freebsd|android|openbsd|sunos|aix|netbsd)-(arm64|x64|ia32|arm)/);
    if (!m) continue;
    pkgs[key] = { version: range, cpu: [m[2]], license: entry.license, optional: true, os: [m[1]] };
    added++;
    console.log("added", key, range);
  }
}
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(`${added} entries added`);
