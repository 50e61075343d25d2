import { describe, expect, it } from "vitest";
import { compileUserFunction, UserFunctionError, UserFunctionSyntaxError, vmSyntaxChecker } from "@/engine/pipeline/userFunction";
import { StateImpl } from "@/engine/state/State";

describe("user functions (SES compartment in a locked-down realm)", () => {
  it("compiles and calls arrow functions on records, returning fresh values", () => {
    const f = compileUserFunction("(x) => ({ ...x, double: x.n * 2 })");
    expect(f({ n: 21 })).toEqual({ n: 21, double: 42 });
    expect(compileUserFunction("(a, b) => a + b")(1, 2)).toBe(3);
    expect(compileUserFunction("(a, b, c) => a + b + c")(1, 2, 3)).toBe(6);
  });

  it("reports syntax errors with line and column", () => {
    expect(vmSyntaxChecker("(x) =>\n  x +* 2")).toMatchObject({ line: 2, column: expect.any(Number), message: expect.stringMatching(/Unexpected token/) });
    expect(vmSyntaxChecker("42")).toMatchObject({ message: expect.stringMatching(/arrow function/) });
    expect(vmSyntaxChecker("(x) => x")).toBeNull();
    expect(() => compileUserFunction("(x) => {", { filename: "m.fn" })).toThrow(UserFunctionSyntaxError);
  });

  it("sees JavaScript's built-ins only: no require, process, fetch, timers or shared memory", () => {
    const seen = compileUserFunction(
      "() => [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof queueMicrotask, typeof SharedArrayBuffer, typeof globalThis.process, typeof Buffer]",
    )();
    expect(seen).toEqual(Array(8).fill("undefined"));
    expect(compileUserFunction("(s) => JSON.parse(s).a + Math.max(1, 2) + Number('3')")('{"a":1}')).toBe(6);
    expect(typeof compileUserFunction("() => Date.now()")()).toBe("number");
  });

  it("refuses the constructor chains of records, arguments and the function itself", () => {
    for (const source of [
      "(r) => r.constructor.constructor('return process')()",
      "(r) => (() => 0).constructor('return process')()",
      "(r) => Object.getPrototypeOf(async () => 0).constructor('return process')()",
      "(r) => Object.getPrototypeOf(function* () {}).constructor('return process')()",
      "(r) => r.list.map.constructor('return process')()",
      "(r) => Function('return process')()",
      "(r) => (0, eval)('process')",
    ]) {
      // Either the chain is refused, or it evaluates inside the compartment, where there is no process.
      const f = compileUserFunction(`(r) => { try { return typeof (${source})(r); } catch (e) { return "refused"; } }`, { filename: "m.fn" });
      expect(["refused", "undefined"], source).toContain(f({ list: [1] }));
    }
  });

  it("cannot replace a built-in the host relies on", () => {
    const f = compileUserFunction("() => { Array.isArray = () => false; return 1; }");
    expect(() => f()).toThrow(UserFunctionError);
    expect(Array.isArray([])).toBe(true);
    const g = compileUserFunction("() => { Object.prototype.polluted = 1; return 1; }");
    expect(() => g()).toThrow(/read only|not extensible|Cannot/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps a copy of what a function returns, never an object user code can still reach", () => {
    const f = compileUserFunction("(() => { let kept; return (r) => { if (kept) kept.n = 99; kept = { n: r }; return kept; }; })()");
    const first = f(1) as { n: number };
    f(2);
    expect(first).toEqual({ n: 1 });
    // engine objects that are not plain data reach user code as copies
    const date = new Date(0);
    expect(compileUserFunction("(d) => { d.setTime(5); return 1; }")(date)).toBe(1);
    expect(date.getTime()).toBe(0);
    // getters and proxies run inside the call: the engine receives plain data
    const proxy = compileUserFunction("() => new Proxy({}, { ownKeys: () => ['a'], getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }), get: () => 7 })")();
    expect(proxy).toEqual({ a: 7 });
    const withGetter = compileUserFunction("() => ({ get a() { return 5; } })")();
    expect(Object.getOwnPropertyDescriptor(withGetter, "a")).toMatchObject({ value: 5 });
    expect(compileUserFunction("() => JSON.parse('{\"__proto__\": {\"x\": 1}}')")()).not.toHaveProperty("x");
  });

  it("refuses functions, promises and values nested too deep, naming what", () => {
    expect(() => compileUserFunction("() => () => 1", { filename: "m.fn" })()).toThrow(/value m\.fn returned is a function/);
    expect(() => compileUserFunction("async (x) => x", { filename: "m.fn" })(1)).toThrow(/Promise/);
    expect(() => compileUserFunction("() => { const a = []; a.push(a); return a; }", { filename: "m.fn" })()).toThrow(/nested more than/);
  });

  it("gives the State of mapWithState as methods on copies, with no engine object reachable", () => {
    const state = new StateImpl<{ n: number }>();
    state.wrap(true, { n: 1 });
    compileUserFunction("(s) => { const v = s.get(); v.n = 50; s.update({ n: s.get().n + 41 }); }")(state);
    expect(state.get()).toEqual({ n: 42 });
    expect(state.isUpdated()).toBe(true);
    const climb = compileUserFunction("(s) => { try { s.remove(); s.remove(); } catch (e) { return [typeof e.constructor.prototype, Object.isFrozen(e.constructor), Object.keys(s).join()]; } }");
    expect(climb(state)).toEqual(["object", true, "exists,get,getOption,update,remove,isTimingOut"]);
    expect(() => compileUserFunction("(s) => s.wrap(false)")(state)).toThrow(/not a function/);
  });

  it("turns what a function throws into an error carrying its message only", () => {
    expect(() => compileUserFunction("(x) => x.a.b")({})).toThrow(/Cannot read properties of undefined/);
    expect(() => compileUserFunction("() => { throw { get message() { throw 1; } }; }")()).toThrow(/cannot be read/);
    expect(() => compileUserFunction("() => import('node:fs')", { filename: "m.fn" })()).toThrow(/import/);
  });
});
