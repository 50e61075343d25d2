import { promiseHooks } from "node:v8";
import { busyNode, markBusy } from "./runChannel";

/**
 * Promises created while a node's user function runs belong to that node: the jobs they run
 * later (a `.then` callback, the rest of an async function) are marked as that node's user code
 * while they run, and a rejection nobody handles is reported as that node's error. Without this
 * the jobs run after the function returned, when the run no longer knows whose code it is.
 */
const owner = new WeakMap<Promise<unknown>, number>();

export function attributePromisesToNodes(): void {
  promiseHooks.createHook({
    init(promise, parent) {
      const node = busyNode() || (parent ? owner.get(parent) : undefined);
      if (node) owner.set(promise, node);
    },
    before(promise) {
      const node = owner.get(promise);
      if (node) markBusy(node);
    },
    after(promise) {
      if (owner.has(promise)) markBusy(0);
    },
  });
}

/** Index + 1 of the node a promise was created under, or 0. */
export function nodeOfPromise(promise: Promise<unknown>): number {
  return owner.get(promise) ?? 0;
}
