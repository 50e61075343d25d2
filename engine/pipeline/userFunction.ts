import vm from "node:vm";
import type { SyntaxProblem } from "./functionSyntax";
import type { UserFunction } from "./catalog/types";

/**
 * The default user-function factory: compiles arrow-function source in a `node:vm` context of
 * its own whose global holds only JavaScript's built-ins (no require, process, fetch, timers)
 * (the host-side sandbox object is empty and frozen). Every call runs under a watchdog timeout. Arguments are copied
 * into the context's realm and host functions (a State's methods) are wrapped there, so user
 * code cannot climb a host object's constructor chain to `process`. The lead's worker may
 * supply its own factory; this one serves tests and the default environment.
 */
export interface UserFunctionOptions {
  /** Milliseconds one call may run before the watchdog stops it (default 1000). */
  timeoutMs?: number;
  /** Names the function in errors: `<nodeId>.<field>`. */
  filename?: string;
}

/** A user function that ran past its time: the run must stop (fatal), naming the node. */
export class UserFunctionTimeout extends Error {
  readonly fatal = true;
}

/** A source that does not compile; line and column are 1-based within the source. */
export class UserFunctionSyntaxError extends Error {
  constructor(readonly problem: SyntaxProblem, filename: string) {
    super(`${filename}: ${problem.message}${problem.line ? ` (line ${problem.line}, column ${problem.column ?? 1})` : ""}`);
  }
}

// Runs inside the context: keeps the host bridge in a closure, then removes it from the global.
const SETUP = `
"use strict";
(() => {
  const io = globalThis.__io;
  delete globalThis.__io;
  const copyIn = (v, depth) => {
    if (depth > 64) throw new Error("record nested too deeply");
    if (typeof v === "function") {
      const id = v;
      return (...a) => {
        try { return copyIn(io.callHost(id, a), 0); }
        catch (e) { throw new Error(String(e && e.message)); }
      };
    }
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x) => copyIn(x, depth + 1));
    const o = {};
    for (const k of Object.keys(v)) o[k] = copyIn(v[k], depth + 1);
    return o;
  };
  Object.defineProperty(globalThis, "__run", {
    value: () => { io.result = io.fn(...io.args.map((a) => copyIn(a, 0))); },
  });
  Object.defineProperty(globalThis, "__define", {
    value: (f) => { if (typeof f !== "function") throw new TypeError("must be a function, such as (x) => x * 2"); io.fn = f; },
  });
})();
`;

const RUN = new vm.Script("__run()", { filename: "dstream-user-function-call" });

/** Wraps host functions found in arguments so that user code gets in-realm callables only. */
function markHostFunctions(value: unknown, registry: Map<object, (...a: unknown[]) => unknown>): unknown {
  if (typeof value === "function") {
    registry.set(value, value as (...a: unknown[]) => unknown);
    return value;
  }
  if (value && typeof value === "object" && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) {
    // A class instance such as State: expose its methods as own functions bound to it.
    const out: Record<string, unknown> = {};
    for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(value))) {
      const member = (value as Record<string, unknown>)[key];
      if (key !== "constructor" && typeof member === "function") {
        const bound = (member as (...a: unknown[]) => unknown).bind(value);
        registry.set(bound, bound);
        out[key] = bound;
      }
    }
    for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
    return out;
  }
  return value;
}

export function compileUserFunction(source: string, options: UserFunctionOptions = {}): UserFunction {
  const filename = options.filename ?? "user-function";
  const timeout = options.timeoutMs ?? 1000;
  const problem = vmSyntaxChecker(source);
  if (problem) throw new UserFunctionSyntaxError(problem, filename);
  const hostFns = new Map<object, (...a: unknown[]) => unknown>();
  const io: { fn?: unknown; args: unknown[]; result?: unknown; callHost: (f: object, a: unknown[]) => unknown } = {
    args: [],
    callHost: (f, a) => {
      const host = hostFns.get(f);
      if (!host) throw new Error("not a host function");
      return host(...a);
    },
  };
  const sandbox: Record<string, unknown> = Object.create(null);
  sandbox.__io = io;
  const context = vm.createContext(sandbox, { codeGeneration: { strings: false, wasm: false } });
  vm.runInContext(SETUP, context);
  const script = new vm.Script(`"use strict"; __define((\n${source}\n));`, { filename, lineOffset: -1 });
  script.runInContext(context, { timeout });
  // The global proxy itself cannot be frozen; freezing the object behind it has the effect.
  Object.freeze(sandbox);
  return (...args: unknown[]) => {
    hostFns.clear();
    io.args = args.map((a) => markHostFunctions(a, hostFns));
    io.result = undefined;
    try {
      RUN.runInContext(context, { timeout });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
        throw new UserFunctionTimeout(`${filename} did not return within ${timeout} ms; the watchdog stopped it`);
      }
      throw error;
    }
    return io.result;
  };
}

/**
 * Syntax check with line and column, compiling (never running) the source with node:vm.
 * Line 1 is the source's first line.
 */
export function vmSyntaxChecker(source: string): SyntaxProblem | null {
  try {
    new vm.Script(`"use strict"; (\n${source}\n);`, { filename: "fn" });
  } catch (error) {
    const stack = String((error as Error).stack ?? "");
    const at = /^fn:(\d+)\n(.*)\n(\s*)\^/m.exec(stack);
    const line = at ? Number(at[1]) - 1 : undefined;
    const column = at ? at[3].length + 1 : undefined;
    return { message: (error as Error).message, line: line && line > 0 ? line : 1, column };
  }
  if (!/^\s*(async\s+)?(function\b|\(|[A-Za-z_$][\w$]*\s*=>)/.test(source)) {
    return { message: "must be an arrow function such as (x) => x * 2" };
  }
  return null;
}
