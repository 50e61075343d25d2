import { describe, expect, it } from "vitest";
import { compileUserFunction, UserFunctionSyntaxError, UserFunctionTimeout, vmSyntaxChecker } from "@/engine/pipeline/userFunction";

describe("user functions (node:vm)", () => {
  it("compiles and calls arrow functions on records, returning fresh values", () => {
    const f = compileUserFunction("(x) => ({ ...x, double: x.n * 2 })");
    expect(f({ n: 21 })).toEqual({ n: 21, double: 42 });
    expect(compileUserFunction("(a, b) => a + b")(1, 2)).toBe(3);
  });

  it("reports syntax errors with line and column", () => {
    expect(vmSyntaxChecker("(x) =>\n  x +* 2")).toMatchObject({ line: 2, column: expect.any(Number), message: expect.stringMatching(/Unexpected token/) });
    expect(vmSyntaxChecker("42")).toMatchObject({ message: expect.stringMatching(/arrow function/) });
    expect(vmSyntaxChecker("(x) => x")).toBeNull();
    expect(() => compileUserFunction("(x) => {", { filename: "m.fn" })).toThrow(UserFunctionSyntaxError);
  });

  it("sees no require, process, fetch or host constructors", () => {
    expect(compileUserFunction("() => [typeof require, typeof process, typeof fetch, typeof setTimeout]")()).toEqual(["undefined", "undefined", "undefined", "undefined"]);
    // climbing a record's constructor chain stays inside the sandbox's realm
    const escape = compileUserFunction("(r) => { try { return typeof r.constructor.constructor('return process')(); } catch (e) { return 'blocked'; } }");
    expect(escape({ a: 1 })).not.toBe("object");
    const viaState = compileUserFunction("(s) => { try { return typeof s.get.constructor('return process')(); } catch (e) { return 'blocked'; } }");
    class State { v = 1; get() { return this.v; } }
    expect(viaState(new State())).not.toBe("object");
  });

  it("lets a function call the methods of a host object such as State", () => {
    class State { v = 1; get() { return this.v; } update(n: number) { this.v = n; } }
    const state = new State();
    compileUserFunction("(s) => s.update(s.get() + 41)")(state);
    expect(state.v).toBe(42);
  });

  it("throws the record's error to the caller and stops a function that never returns", () => {
    expect(() => compileUserFunction("(x) => x.a.b")({})).toThrow(/Cannot read properties of undefined/);
    const hang = compileUserFunction("(x) => { while (true) {} }", { timeoutMs: 50, filename: "spin.fn" });
    expect(() => hang(1)).toThrow(UserFunctionTimeout);
    expect(() => hang(1)).toThrow(/spin.fn did not return within 50 ms/);
  });
});
