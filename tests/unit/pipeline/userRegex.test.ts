import { describe, expect, it } from "vitest";
import { diagnose, hasErrors } from "@/engine/pipeline/diagnostics";
import { regexLiterals } from "@/engine/pipeline/userRegex";
import { doc } from "./harness";

describe("regular expressions in user functions (slow in a run's frozen realm)", () => {
  it("finds regex literals as tokens, not slashes in strings, comments or divisions", () => {
    expect(regexLiterals("(l) => l.split(/,\\s*/g)").map((r) => r.text)).toEqual(["/,\\s*/g"]);
    expect(regexLiterals('(l) => l.split("/,/") // not /a/ either')).toEqual([]);
    expect(regexLiterals("(a, b) => a / b / 2")).toEqual([]);
    expect(regexLiterals("(s) => /^\\d+$/.test(s) && s.replace(/x/, 'y')").map((r) => r.text)).toEqual(["/^\\d+$/", "/x/"]);
    const [r] = regexLiterals("(l) => l.split(/,/)");
    expect("(l) => l.split(/,/)".slice(r.from, r.to)).toBe("/,/");
  });

  it("a function using one gets a warning naming the node, the field and the literal; Run is not blocked", () => {
    const d = doc([["q", "queue"], ["m", "map", { fn: "(l) => l.split(/,/)" }], ["p", "print"]], [["q", "m"], ["m", "p"]]);
    const ds = diagnose(d);
    const warning = ds.find((x) => x.code === "function-regex");
    expect(warning).toMatchObject({ nodeId: "m", field: "fn", severity: "warning" });
    expect(warning!.message).toMatch(/uses a regular expression \(\/,\/\).*split\(","\)/);
    expect(hasErrors(ds)).toBe(false);
  });

  it("no warning for string methods, nor on top of a syntax error", () => {
    const plain = doc([["q", "queue"], ["m", "map", { fn: '(l) => l.split(",")' }], ["p", "print"]], [["q", "m"], ["m", "p"]]);
    expect(diagnose(plain).some((x) => x.code === "function-regex")).toBe(false);
    const broken = doc([["q", "queue"], ["m", "map", { fn: "(l) => l.split(/,/" }], ["p", "print"]], [["q", "m"], ["m", "p"]]);
    const codes = diagnose(broken).map((x) => x.code);
    expect(codes).toContain("function-syntax");
    expect(codes).not.toContain("function-regex");
  });
});
