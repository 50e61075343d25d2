import { z } from "zod";
import { nodeDefinition } from "./catalog";

/** The config fields of a kind edited as JavaScript functions (their meta says `widget: "function"`). */
const cache = new Map<string, string[]>();
export function functionFields(kind: string): string[] {
  const cached = cache.get(kind);
  if (cached) return cached;
  const def = nodeDefinition(kind);
  const fields: string[] = [];
  if (def) {
    const json = z.toJSONSchema(def.config, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, { widget?: string }> };
    for (const [name, prop] of Object.entries(json.properties ?? {})) if (prop.widget === "function") fields.push(name);
  }
  cache.set(kind, fields);
  return fields;
}

/** A syntax problem in a function field: the message, with line and column (1-based) when known. */
export interface SyntaxProblem {
  message: string;
  line?: number;
  column?: number;
}
export type SyntaxChecker = (source: string) => SyntaxProblem | null;

const FUNCTION_START = /^\s*(async\s+)?(function\b|\(|[A-Za-z_$][\w$]*\s*=>)/;

/**
 * The default checker: parses without running (the Function constructor compiles the body but
 * nothing calls it), then insists the source is a function expression. The server's checker
 * (node:vm) also gives line and column.
 */
export const parseOnlyChecker: SyntaxChecker = (source) => {
  try {
    // Only parsed: the returned function is never called, so no user code runs here.
    new Function(`"use strict"; return (\n${source}\n);`);
  } catch (error) {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  if (!FUNCTION_START.test(source)) return { message: "must be an arrow function such as (x) => x * 2" };
  return null;
};
