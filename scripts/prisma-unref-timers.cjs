// Preloaded into Prisma's CLI by prepare-db.mjs. Prisma 6.19's WebAssembly schema engine leaves
// a 60 s timer running after `db push` has finished, which keeps the CLI alive for a minute.
// Long timers are unref'd, so the process ends as soon as its work is done.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function setTimeoutUnrefLong(callback, ms, ...args) {
  const timer = originalSetTimeout(callback, ms, ...args);
  if (typeof ms === "number" && ms >= 30_000 && typeof timer?.unref === "function") timer.unref();
  return timer;
};
