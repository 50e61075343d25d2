import { parse, parseExpressionAt, type Options } from "acorn";
import type { SyntaxProblem } from "./functionSyntax";

/**
 * Syntax errors of a function field in the user's own terms: the source is parsed as it was
 * typed (no wrapper around it), so a message never names a bracket the user did not type and
 * its line and column (1-based) fall within their text. Strict mode, as the functions run.
 */
export interface LocatedSyntaxProblem extends SyntaxProblem {
  line: number;
  column: number;
  /** Offsets in the source of the text to mark. */
  from: number;
  to: number;
}

const OPTIONS: Options = { ecmaVersion: "latest", sourceType: "module", locations: true };

interface AcornSyntaxError extends SyntaxError {
  pos: number;
}
const isAcornError = (e: unknown): e is AcornSyntaxError => e instanceof SyntaxError && typeof (e as Partial<AcornSyntaxError>).pos === "number";

function locate(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The token starting at `offset`, for a message: a word, a string quote or one character. */
function tokenAt(source: string, offset: number): string {
  return /^(?:[\w$]+|\S)/.exec(source.slice(offset))?.[0] ?? "";
}

function problemAt(source: string, offset: number, message: string, length = 1): LocatedSyntaxProblem {
  return { message, ...locate(source, offset), from: offset, to: Math.min(source.length, offset + Math.max(1, length)) };
}

/** The last character the user typed before `offset` that is not white space. */
function lastTyped(source: string, offset: number): number {
  let i = Math.min(offset, source.length) - 1;
  while (i > 0 && /\s/.test(source[i])) i--;
  return Math.max(0, i);
}

export function userSyntaxProblem(source: string): LocatedSyntaxProblem | null {
  let end: number;
  let type: string;
  try {
    const expr = parseExpressionAt(source, 0, OPTIONS);
    end = expr.end;
    type = expr.type;
  } catch (error) {
    if (!isAcornError(error)) return problemAt(source, 0, error instanceof Error ? error.message : String(error));
    const reason = error.message.replace(/\s*\(\d+:\d+\)$/, "");
    if (source.slice(error.pos).trim() === "") {
      // The parser reached the end of the text: point at what was typed last, not past it.
      const last = lastTyped(source, error.pos);
      const what = source.trim() === "" ? "the function is empty" : `the function ends too early after \`${tokenAt(source, last) || source[last]}\`; something is missing there, such as an operand, a closing bracket or a brace`;
      return problemAt(source, last, what);
    }
    const token = tokenAt(source, error.pos);
    const message = reason === "Unexpected token" && token ? `unexpected \`${token}\`` : reason.charAt(0).toLowerCase() + reason.slice(1);
    return problemAt(source, error.pos, message, token.length);
  }
  // Only comments and white space may follow the function.
  const rest = source.slice(end);
  let trailing = false;
  try {
    trailing = parse(rest, OPTIONS).body.length > 0;
  } catch {
    trailing = true;
  }
  if (trailing) {
    const at = end + (rest.length - rest.trimStart().length);
    return problemAt(source, at, `unexpected \`${tokenAt(source, at)}\` after the end of the function (a field holds one function expression)`, tokenAt(source, at).length);
  }
  if (type !== "ArrowFunctionExpression" && type !== "FunctionExpression") {
    return problemAt(source, 0, "must be an arrow function such as (x) => x * 2", end);
  }
  return null;
}
