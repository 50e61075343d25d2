import { IllegalStateException } from "../streaming/errors";
import { keyId, type KeyId } from "../rdd/keys";

/** A key's state and the batch time (ms) it was last updated. Entries are never mutated. */
export interface StateEntry<K, S> {
  readonly key: K;
  readonly state: S;
  readonly updateTime: number;
}

const NO_KEY: unique symbol = Symbol("none");

/** In an undo log: the key had no state in that version. */
const ABSENT = null;
type UndoLog<K, S> = Map<KeyId, StateEntry<K, S> | typeof ABSENT>;

interface Store<K, S> {
  readonly map: Map<KeyId, StateEntry<K, S>>;
  /** The only version that may write to `map`. */
  head: StateMap<K, S>;
}

function idOf(key: unknown): KeyId {
  return typeof key === "object" && key !== null ? keyId(key) : (key as KeyId);
}

/**
 * One partition's state at one batch (Spark's StateMap), versioned so that each batch costs what
 * it touches, not what the state holds.
 *
 * Spark's OpenHashMapBasedStateMap keeps forward deltas: each batch's map is a small delta over
 * its parent, lookups walk the chain, and every 20 deltas the chain is compacted by copying the
 * whole map. Here the deltas run backwards instead, so the newest version never needs compacting:
 *
 *     store.map (one JS Map per partition) = the newest version's entries, written in place
 *
 *     v10 ──copy()──> v11 ──copy()──> v12 (head: owns store.map)
 *      │               │
 *      undo10          undo11         undo_t = the values v_t had for the keys v_{t+1} changed
 *
 *   reading v12:  store.map                                    O(1)
 *   reading v10:  undo10, then undo11, then store.map          O(versions newer than v10)
 *   writing v12:  first write of a key records its v11 value in undo11, then writes store.map
 *
 * `copy()` makes the next batch's version and freezes this one. A batch therefore costs one Map
 * write plus at most one undo entry per touched key; old versions stay readable (for the snapshot
 * and the checkpoint of their batch) as long as something references them, and are garbage once
 * nothing does: a version references newer versions only. Copying a version that is not the head
 * (recomputing an old batch) materializes it into a new store, which costs the whole state once.
 */
export class StateMap<K, S> {
  private store: Store<K, S>;
  /** Undo log of the previous version, written on this version's first change of each key. */
  private prevUndo: UndoLog<K, S> | undefined;
  /** Set once a newer version took over the store. */
  private undo: UndoLog<K, S> | undefined;
  private newer: StateMap<K, S> | undefined;
  private frozenSize = 0;
  /**
   * The newest version's last lookup: mapWithState reads a key then writes it, and the write
   * needs the old entry for the undo log; remembering it saves a second probe of a large Map.
   */
  private lastId: KeyId | typeof NO_KEY = NO_KEY;
  private lastEntry: StateEntry<K, S> | undefined;

  private constructor(store: Store<K, S> | undefined, prevUndo: UndoLog<K, S> | undefined) {
    this.store = store ?? { map: new Map(), head: this };
    this.store.head = this;
    this.prevUndo = prevUndo;
  }

  /** A new, empty, writable map. */
  static empty<K, S>(): StateMap<K, S> {
    return new StateMap<K, S>(undefined, undefined);
  }
  /** A new writable map holding `entries`. */
  static fromEntries<K, S>(entries: Iterable<StateEntry<K, S>>): StateMap<K, S> {
    const m = StateMap.empty<K, S>();
    for (const e of entries) m.store.map.set(idOf(e.key), e);
    return m;
  }

  /** Whether this is the newest version (the only writable one). */
  get isWritable(): boolean {
    return this.store.head === this;
  }

  private lookup(id: KeyId): StateEntry<K, S> | undefined {
    if (this.newer === undefined) {
      const e = this.store.map.get(id);
      this.lastId = id;
      this.lastEntry = e;
      return e;
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let v: StateMap<K, S> = this;
    while (v.newer !== undefined) {
      const u = v.undo!;
      if (u.has(id)) return u.get(id) ?? undefined;
      v = v.newer;
    }
    return this.store.map.get(id);
  }

  /** The key's entry (state and update time), if it has one. */
  getEntry(key: K): StateEntry<K, S> | undefined {
    return this.lookup(idOf(key));
  }
  get(key: K): S | undefined {
    return this.lookup(idOf(key))?.state;
  }
  has(key: K): boolean {
    return this.lookup(idOf(key)) !== undefined;
  }

  private beforeWrite(id: KeyId): void {
    if (this.store.head !== this) throw new IllegalStateException("This StateMap version was copied and is read-only");
    const pu = this.prevUndo;
    if (pu !== undefined && !pu.has(id))
      pu.set(id, (id === this.lastId ? this.lastEntry : this.store.map.get(id)) ?? ABSENT);
  }

  /** Sets the key's state and update time (ms). */
  put(key: K, state: S, updateTime: number): void {
    const id = idOf(key);
    this.beforeWrite(id);
    const e = { key, state, updateTime };
    this.store.map.set(id, e);
    this.lastId = id;
    this.lastEntry = e;
  }
  remove(key: K): void {
    const id = idOf(key);
    if (this.lookup(id) === undefined) return;
    this.beforeWrite(id);
    this.store.map.delete(id);
    this.lastId = id;
    this.lastEntry = undefined;
  }

  /** The next version: a writable map starting with this one's entries; this one becomes read-only. */
  copy(): StateMap<K, S> {
    if (this.store.head !== this) return StateMap.fromEntries(this.getAll());
    this.frozenSize = this.store.map.size;
    this.undo = new Map();
    const next = new StateMap<K, S>(this.store, this.undo);
    this.newer = next;
    this.prevUndo = undefined;
    this.lastId = NO_KEY;
    this.lastEntry = undefined;
    return next;
  }

  /** Number of keys. */
  get size(): number {
    return this.store.head === this ? this.store.map.size : this.frozenSize;
  }

  /** Every entry of this version (lazily; the newest version iterates its Map directly). */
  *getAll(): Generator<StateEntry<K, S>> {
    if (this.newer === undefined) {
      yield* this.store.map.values();
      return;
    }
    // The closest undo log to this version holds its value for a key changed later.
    const overrides = new Map<KeyId, StateEntry<K, S> | typeof ABSENT>();
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let v: StateMap<K, S> = this;
    while (v.newer !== undefined) {
      for (const [id, e] of v.undo!) if (!overrides.has(id)) overrides.set(id, e);
      v = v.newer;
    }
    for (const [id, e] of this.store.map) if (!overrides.has(id)) yield e;
    for (const e of overrides.values()) if (e !== ABSENT) yield e;
  }

  /** Entries last updated strictly before `thresholdMs` (Spark's getByTime: timed-out keys). */
  *getByTime(thresholdMs: number): Generator<StateEntry<K, S>> {
    for (const e of this.getAll()) if (e.updateTime < thresholdMs) yield e;
  }

  toString(): string {
    return `StateMap(${this.size} keys${this.isWritable ? "" : ", read-only"})`;
  }
}
