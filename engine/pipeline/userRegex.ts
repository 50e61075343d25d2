import { tokenizer, tokTypes, type Options } from "acorn";

/**
 * The regular-expression literals of a user function, found by acorn's tokenizer (so a `/` in a
 * string, a comment or a division is not one). A run locks its realm down, which freezes
 * RegExp.prototype and puts every regular expression on V8's slow path: `line.split(/,/)` runs
 * about a hundred times slower than `line.split(",")` there. The editor warns; it does not refuse.
 */
const OPTIONS: Options = { ecmaVersion: "latest", sourceType: "module" };

export interface RegexLiteral {
  /** The literal as typed, e.g. `/,/g`. */
  text: string;
  from: number;
  to: number;
}

export function regexLiterals(source: string): RegexLiteral[] {
  const found: RegexLiteral[] = [];
  try {
    for (const token of tokenizer(source, OPTIONS)) {
      if (token.type === tokTypes.regexp) found.push({ text: source.slice(token.start, token.end), from: token.start, to: token.end });
    }
  } catch {
    // A syntax error is reported by the syntax check; the literals before it are kept.
  }
  return found;
}
