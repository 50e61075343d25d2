// Types for prerequisites.mjs, so TypeScript callers (its unit test) are checked.

export interface MissingTool {
  name: string;
  purpose: string;
  aptPackage: string;
  problem: string;
}

type Env = Record<string, string | undefined>;

export function findOnPath(name: string, envPath: string | undefined): string | null;
export function javaMajorVersion(javaFile: string): number | null;
export function checkTools(env?: Env): { missing: MissingTool[]; found: Record<string, string> };
export function installer(
  env?: Env,
): { command: string[]; reason?: undefined } | { reason: string; command?: undefined };
export function missingMessage(missing: MissingTool[], reason?: string): string;
export function ensureTools(options?: {
  env?: Env;
  log?: (line: string) => void;
  logFile?: string;
}): Promise<{ ok: true; env: { CHROMIUM_PATH: string } } | { ok: false; message: string }>;
