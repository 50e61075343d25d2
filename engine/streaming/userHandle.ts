/**
 * Engine objects that user code may call methods on (a key's State) list those methods under
 * this symbol; the user-code boundary (pipeline/userCode/hostView.ts) exposes only them.
 */
export const USER_METHODS: unique symbol = Symbol("methods user code may call");

export interface UserHandle {
  readonly [USER_METHODS]: readonly string[];
}
