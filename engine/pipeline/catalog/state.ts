import { z } from "zod";
import { defineNode, type StateView } from "./types";
import { fnField, optionalDurationField } from "./fields";
import { guarded, SKIP } from "./guard";

export const updateStateByKeyNode = defineNode({
  kind: "updateStateByKey",
  category: "State",
  label: "Update state by key",
  doc: "pairs.updateStateByKey(f): every batch, f(newValues, state) for every key seen so far; return undefined to drop the key. Needs checkpointing.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "pair" }],
  config: z.object({
    fn: fnField("(values, state) => (state ?? 0) + values.length", "values, state", "Returns the key's new state (undefined removes it)."),
  }),
  stateful: () => true,
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    // A throw keeps the previous state: dropping the key would lose it silently.
    return { out: ctx.input().updateStateByKey((values, state) => {
      const next = f(values, state);
      return next === SKIP ? state : next;
    }) };
  },
});

export const mapWithStateNode = defineNode({
  kind: "mapWithState",
  category: "State",
  label: "Map with state",
  doc: "pairs.mapWithState(StateSpec.function(f)): f(key, value, state) for each new record only, so the cost follows the batch, not the state. `snapshots` is stateSnapshots(). Needs checkpointing.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [
    { name: "out", type: "plain", label: "mapped" },
    { name: "snapshots", type: "pair", label: "state snapshots" },
  ],
  config: z.object({
    fn: fnField(
      "(key, value, state) => { const n = (state.exists() ? state.get() : 0) + 1; state.update(n); return [key, n]; }",
      "key, value, state",
      "state has exists(), get(), update(v), remove(), isTimingOut(). Returns the mapped record.",
    ),
    timeoutMs: optionalDurationField("Idle time after which a key's state times out (optional)."),
  }),
  stateful: () => true,
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    const { mapped, snapshots } = ctx.input().mapWithState({
      fn: (key: unknown, value: unknown, state: StateView) => f(key, value, state),
      timeoutMs: ctx.config.timeoutMs,
    });
    return { out: mapped.filter((r) => r !== SKIP), snapshots };
  },
});
