import { USER_METHODS, type UserHandle } from "../../streaming/userHandle";
import { plainCopy } from "./plainValue";

/*
 * User code gets a frozen view of an engine object that lists USER_METHODS, holding only those
 * methods: arguments are copied in, results copied out, and a host error comes back as a fresh
 * Error with its message, so no engine object, class or prototype is reachable from user code.
 */

// The engine reuses one State object per batch (as Spark's StateImpl), so one view per object suffices.
const views = new WeakMap<object, object>();

export function hostObjectView(value: object): object | undefined {
  const methods = (value as Partial<UserHandle>)[USER_METHODS];
  if (!methods) return undefined;
  let view = views.get(value);
  if (!view) {
    const target = value as unknown as Record<string, (...a: unknown[]) => unknown>;
    const members: Record<string, (...a: unknown[]) => unknown> = {};
    for (const name of methods) {
      members[name] = (...args: unknown[]) => {
        try {
          return plainCopy(target[name](...args.map((a, i) => plainCopy(a, `argument ${i + 1} of ${name}()`))), `the value ${name}() returned`);
        } catch (error) {
          throw new Error(error instanceof Error ? error.message : String(error));
        }
      };
    }
    view = Object.freeze(members);
    views.set(value, view);
  }
  return view;
}
