import { describe, expect, it } from "vitest";
import { diagnose } from "@/engine/pipeline/diagnostics";
import { vmSyntaxChecker } from "@/engine/pipeline/userFunction";
import { userSyntaxProblem } from "@/engine/pipeline/userSyntax";
import { doc } from "./harness";

describe("syntax errors of function fields, in the user's own terms", () => {
  it("an unfinished function points at the last thing typed, never at a bracket the user did not type", () => {
    const p = userSyntaxProblem("(a, b) => a +");
    expect(p).toMatchObject({ line: 1, column: 13, from: 12, to: 13 });
    expect(p!.message).toMatch(/ends too early after `\+`/);
    expect(p!.message).not.toMatch(/['`]\)['`]/);
    expect(userSyntaxProblem("(x) => { return x")).toMatchObject({ line: 1, column: 17 });
  });

  it("an unexpected token is named as typed, with its line and column within the field", () => {
    expect(userSyntaxProblem("(x) =>\n  x +* 2")).toEqual({ message: "unexpected `*`", line: 2, column: 6, from: 12, to: 13 });
    expect(userSyntaxProblem("x => x)")).toMatchObject({ line: 1, column: 7, message: expect.stringMatching(/unexpected `\)` after the end of the function/) });
    expect(userSyntaxProblem("(x) => 'abc")).toMatchObject({ column: 8, message: "unterminated string constant" });
  });

  it("strict mode, as the functions run; only function expressions; comments after are fine", () => {
    expect(userSyntaxProblem("(x) => { with (x) {} }")?.message).toMatch(/strict mode/);
    expect(userSyntaxProblem("42")?.message).toMatch(/must be an arrow function/);
    for (const ok of ["(x) => x", "(x) => x // why", "function (a) { return a }", "async (x) => await x", "({ a }) => [a, 1]"]) expect(userSyntaxProblem(ok)).toBeNull();
  });

  it("the pipeline's diagnostics use it, also with the server's checker behind a wrapper", () => {
    const d = doc([["q", "queue"], ["r", "reduceByKey", { fn: "(a, b) => a +" }], ["p", "print"]], [["q", "r"], ["r", "p"]]);
    for (const ds of [diagnose(d), diagnose(d, { checkSyntax: vmSyntaxChecker })]) {
      const syntax = ds.find((x) => x.code === "function-syntax")!;
      expect(syntax.message).toMatch(/at line 1, column 13: the function ends too early after `\+`/);
      expect(syntax.message).not.toMatch(/Unexpected token '\)'/);
    }
    // What the wrapper-based checker says about the same text, for contrast.
    expect(vmSyntaxChecker("(a, b) => a +")?.message).toMatch(/\)/);
  });
});
