import { createRequire } from "node:module";

/**
 * Hardens this JavaScript realm once (SES `lockdown()`): every intrinsic (Object, Array,
 * Function, their prototypes, ...) is frozen and the Function constructor reachable through
 * `x.constructor.constructor` is made inert. After that, user code evaluated in a Compartment
 * cannot replace a built-in the host relies on, nor climb to the host's globals.
 *
 * It changes the whole process, so it runs where user functions run (a run process, a test or
 * a benchmark), never in the web server. `ses` is loaded here, on first use, for the same reason.
 */
let hardened = false;

interface SesGlobals {
  lockdown(options: Record<string, string>): void;
}

export function hardenRealm(): void {
  if (hardened) return;
  hardened = true;
  if (Object.isFrozen(Array.prototype) && typeof (globalThis as { Compartment?: unknown }).Compartment === "function") return; // locked down already
  createRequire(import.meta.url)("ses");
  (globalThis as unknown as SesGlobals).lockdown({
    // Stacks stay readable for the host's own errors; user code gets no stack frames (see userFunction.ts).
    errorTaming: "unsafe",
    stackFiltering: "verbose",
    // Only the few inherited names code commonly assigns (toString, Error's name) stay assignable on
    // instances. "moderate" also turns Array.prototype.push, concat and [Symbol.iterator] into
    // accessors, which made every push and for-of in the engine about twice as slow.
    overrideTaming: "min",
    consoleTaming: "unsafe",
    // The host decides what an uncaught error does, not SES.
    errorTrapping: "none",
    unhandledRejectionTrapping: "none",
    // Test runners and tsx replace Node's `domain`-free defaults; nothing here uses domains.
    domainTaming: "unsafe",
    evalTaming: "safe-eval",
  });
}

/** A new Compartment: a global object of its own with only JavaScript's safe built-ins. */
export function newCompartment(globals: Record<string, unknown>): { globalThis: Record<string, unknown>; evaluate(source: string): unknown } {
  hardenRealm();
  const Compartment = (globalThis as unknown as { Compartment: new (options: { globals: Record<string, unknown>; __options__: true }) => { globalThis: Record<string, unknown>; evaluate(source: string): unknown } }).Compartment;
  return new Compartment({ globals, __options__: true });
}
