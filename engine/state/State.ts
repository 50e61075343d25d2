import { NoSuchElementException, require } from "../streaming/errors";
import { USER_METHODS, type UserHandle } from "../streaming/userHandle";

/** What a user function may call on its State (no engine-side method). */
const STATE_USER_METHODS = Object.freeze(["exists", "get", "getOption", "update", "remove", "isTimingOut"]);

/**
 * The state of one key as `mapWithState`'s function sees it (Spark's State). The function may
 * read it (`exists`, `get`, `getOption`), replace it (`update`) or drop it (`remove`). When a key
 * has been idle for longer than the spec's timeout, the function is called one last time with no
 * value and `isTimingOut()` true; the key is dropped afterwards whatever the function does, so
 * updating or removing it then is an error, as in Spark.
 */
export interface State<S> {
  /** Whether the key has a state. */
  exists(): boolean;
  /** The state; throws NoSuchElementException("State is not set") when there is none. */
  get(): S;
  /** The state, or undefined when there is none (Spark's `Option`). */
  getOption(): S | undefined;
  /** Replaces the state. */
  update(newState: S): void;
  /** Drops the key's state at the end of this call. */
  remove(): void;
  /** Whether this call is the last one for a key that timed out. */
  isTimingOut(): boolean;
}

/**
 * The engine's State: one object is re-wrapped around each record's state in turn (as Spark's
 * StateImpl), so a batch allocates no State per record. The flags tell the caller what the
 * function did: `isUpdated` (store the new state) and `isRemoved` (delete the key).
 */
export class StateImpl<S> implements State<S>, UserHandle {
  readonly [USER_METHODS] = STATE_USER_METHODS;
  private state: S | undefined = undefined;
  private defined = false;
  private timingOut = false;
  private updated = false;
  private removed = false;

  exists(): boolean {
    return this.defined;
  }
  get(): S {
    if (!this.defined) throw new NoSuchElementException("State is not set");
    return this.state as S;
  }
  getOption(): S | undefined {
    return this.defined ? this.state : undefined;
  }
  update(newState: S): void {
    require(!this.removed, "Cannot update the state after it has been removed");
    require(!this.timingOut, "Cannot update the state that is timing out");
    this.state = newState;
    this.defined = true;
    this.updated = true;
  }
  isTimingOut(): boolean {
    return this.timingOut;
  }
  remove(): void {
    require(!this.timingOut, "Cannot remove the state that is timing out");
    require(!this.removed, "Cannot remove the state that has already been removed");
    this.defined = false;
    this.updated = false;
    this.removed = true;
  }

  // ---- engine side ----

  isRemoved(): boolean {
    return this.removed;
  }
  isUpdated(): boolean {
    return this.updated;
  }
  /** Points this object at a key's current state (`exists` false when `present` is false). */
  wrap(present: boolean, state?: S): void {
    this.state = present ? state : undefined;
    this.defined = present;
    this.timingOut = false;
    this.removed = false;
    this.updated = false;
  }
  /** Points this object at the state of a key that is timing out. */
  wrapTimingOutState(state: S): void {
    this.state = state;
    this.defined = true;
    this.timingOut = true;
    this.removed = false;
    this.updated = false;
  }

  toString(): string {
    return this.defined ? String(this.state) : "<state not set>";
  }
}
