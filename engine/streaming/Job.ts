import type { Time } from "./Time";

/** One output operation's work for one batch (Spark's streaming Job). */
export class Job {
  outputOpId = -1;
  constructor(
    readonly time: Time,
    readonly run: () => void | Promise<void>,
    /** The output stream that made the job, and its operation name (`print`, `foreachRDD`, ...). */
    readonly streamId: string,
    readonly name: string,
  ) {}
  toString(): string {
    return `streaming job ${this.time.milliseconds} ms.${this.outputOpId}`;
  }
}
