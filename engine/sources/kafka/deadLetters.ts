import type { DStream } from "../../dstream/DStream";

/** Either-like result of parsing one record: Scala's Right(value) or Left(error). */
export type Parsed<T, E = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const Right = <T>(value: T): Parsed<T, never> => ({ ok: true, value });
export const Left = <E>(error: E): Parsed<never, E> => ({ ok: false, error });

/** A record that could not be parsed, kept whole with the reason. */
export interface DeadLetter<R, E = string> {
  readonly record: R;
  readonly error: E;
}

/**
 * Parses every record and splits the stream (the article's `tryConversion...` then
 * `flatMap(_.right.toOption)`, plus the left side kept): `parsed` holds the values, `deadLetters`
 * the unparsable records with their error. A parser that throws counts as Left(message).
 */
export function parseWithDeadLetters<R, T, E = string>(
  stream: DStream<R>,
  parse: (record: R) => Parsed<T, E>,
): { parsed: DStream<T>; deadLetters: DStream<DeadLetter<R, E | string>> } {
  const attempts = stream
    .map((record): [R, Parsed<T, E | string>] => {
      try {
        return [record, parse(record)];
      } catch (e) {
        return [record, { ok: false, error: e instanceof Error ? e.message : String(e) }];
      }
    })
    .cache(); // both sides read the same parse
  return {
    parsed: attempts.flatMap(([, p]) => (p.ok ? [p.value] : [])),
    deadLetters: attempts.flatMap(([record, p]) => (p.ok ? [] : [{ record, error: p.error }])),
  };
}
