import vm from "node:vm";
import type { SyntaxProblem } from "./functionSyntax";
import type { UserFunction } from "./catalog/types";
import { newCompartment } from "./userCode/realm";
import { plainCopy } from "./userCode/plainValue";
import { hostObjectView } from "./userCode/hostView";

/**
 * The one user-function factory, for runs, tests and benchmarks alike. A function's source is
 * evaluated in an SES Compartment of its own after the realm is locked down (userCode/realm.ts):
 * its global object has JavaScript's built-ins only (no require, process, fetch, timers,
 * SharedArrayBuffer), every intrinsic is frozen, and constructor chains end in an inert Function.
 * Results leave it as copies (userCode/plainValue.ts), so the engine never keeps an object user
 * code can still reach; arguments that are plain data are passed as they are, others copied, and
 * an argument with methods (a State) is seen through a view of its methods (userCode/hostView.ts).
 *
 * There is no watchdog per call: a run process reports which node is inside user code, and the
 * run hub stops a run whose batch overruns its limit (server/runs/RunProcess.ts).
 */
export interface UserFunctionOptions {
  /** Names the function in errors: `<nodeId>.<field>`. */
  filename?: string;
}

/** A source that does not compile; line and column are 1-based within the source. */
export class UserFunctionSyntaxError extends Error {
  constructor(readonly problem: SyntaxProblem, filename: string) {
    super(`${filename}: ${problem.message}${problem.line ? ` (line ${problem.line}, column ${problem.column ?? 1})` : ""}`);
  }
}

/** What a user function threw, as a host Error: its message read inside the call, nothing of the thrown value kept. */
export class UserFunctionError extends Error {}

/** Globals that are bound as parameters of the wrapper, so the function finds them lexically (fast) instead of through the compartment's scope proxy. */
const NOT_BOUND = new Set(["globalThis", "eval", "undefined", "NaN", "Infinity", "lockdown", "Compartment", "harden"]);

/** A console for user code: quiet by default, so that `console.log` in a function is not an error. */
const quietConsole = Object.freeze({ log() {}, info() {}, warn() {}, error() {}, debug() {} });

function thrownMessage(error: unknown): string {
  try {
    if (typeof error === "object" && error !== null && "message" in error) return String((error as { message: unknown }).message);
    return String(error);
  } catch {
    return "threw a value that cannot be read as a message";
  }
}

export function compileUserFunction(source: string, options: UserFunctionOptions = {}): UserFunction {
  const filename = options.filename ?? "user-function";
  const problem = vmSyntaxChecker(source);
  if (problem) throw new UserFunctionSyntaxError(problem, filename);
  // Date and Math are the host's (frozen by lockdown): Date.now() and Math.random() work, nothing more.
  const compartment = newCompartment({ Date, Math, console: quietConsole });
  const names = Object.getOwnPropertyNames(compartment.globalThis).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !NOT_BOUND.has(n));
  const values = names.map((n) => compartment.globalThis[n]);
  let fn: unknown;
  try {
    const wrapper = compartment.evaluate(`(function (${names.join(", ")}) {\n"use strict";\nreturn (\n${source}\n);\n})`) as (...v: unknown[]) => unknown;
    fn = wrapper(...values);
  } catch (error) {
    // SES refuses `import(` and HTML comments in source; such a function fails each call, as a node error.
    const why = `${filename}: ${thrownMessage(error)}`;
    return () => {
      throw new UserFunctionError(why);
    };
  }
  if (typeof fn !== "function") throw new UserFunctionSyntaxError({ message: "must be a function, such as (x) => x * 2" }, filename);
  const call = fn as (...a: unknown[]) => unknown;
  const argName = (i: number) => `${filename} argument ${i + 1}`;
  const resultName = `the value ${filename} returned`;
  // The engine's records are plain data (objects, arrays, primitives) and reach the function as
  // they are: copying each one in would double the boundary's cost, and after lockdown nothing on
  // them leads out. Anything else (a class instance, a Date, a Map) is copied; a State is viewed.
  const prepare = (a: unknown, i: number): unknown => {
    if (typeof a !== "object" || a === null || Array.isArray(a)) return a;
    const proto: unknown = Object.getPrototypeOf(a);
    if (proto === Object.prototype || proto === null) return a;
    return hostObjectView(a) ?? plainCopy(a, argName(i));
  };
  const keep = (result: unknown): unknown =>
    typeof result === "object" || typeof result === "function" || typeof result === "symbol" ? plainCopy(result, resultName) : result;
  // The common arities avoid the rest array and the closure of the general path.
  switch (call.length) {
    case 1:
      return (a: unknown) => {
        try {
          return keep(call(prepare(a, 0)));
        } catch (error) {
          throw asUserError(error);
        }
      };
    case 2:
      return (a: unknown, b: unknown) => {
        try {
          return keep(call(prepare(a, 0), prepare(b, 1)));
        } catch (error) {
          throw asUserError(error);
        }
      };
    default:
      return (...args: unknown[]) => {
        try {
          return keep(call(...args.map(prepare)));
        } catch (error) {
          throw asUserError(error);
        }
      };
  }
}

/** A host error with the message of what user code threw (read here, inside the call). */
function asUserError(error: unknown): UserFunctionError {
  return error instanceof UserFunctionError ? error : new UserFunctionError(thrownMessage(error));
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
