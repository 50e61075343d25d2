import type { Database } from "./db/client";
import type { RunHub } from "./runs/RunHub";

/**
 * The server-side services of one running app. The custom server creates them once and
 * registers them on a global, because Next.js loads route handlers and pages as separate
 * module instances that must still share one database client and one run hub.
 */
export interface Services {
  readonly db: Database;
  /** Starts, controls and watches pipeline runs (one worker thread each). */
  readonly runs: RunHub;
  readonly startedAt: Date;
}

const KEY = Symbol.for("dstream-studio.services");
type Holder = { [KEY]?: Services };

export function registerServices(services: Services): void {
  (globalThis as Holder)[KEY] = services;
}

export function services(): Services {
  const found = (globalThis as Holder)[KEY];
  if (!found) {
    throw new Error("DStream Studio's services are not running: start the app with `npm start` (server/index.ts), not `next start`.");
  }
  return found;
}
