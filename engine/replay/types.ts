/**
 * What a replay produces, shared by the engine, the run process, the server, the command line
 * and the dashboard (types only, browser-safe). Records are shown as `print` shows them
 * (engine/sinks/format.ts), and two records are the same when they print the same.
 */

/** One source's records for one batch of a run, as recorded. */
export interface RecordedBatch {
  batchTimeMs: number;
  /** Records per source node id, in arrival order. */
  inputs: Record<string, unknown[]>;
}

/** A run's recorded input: consecutive batches from its first one. */
export interface Recording {
  batchIntervalMs: number;
  batches: RecordedBatch[];
}

/** What one output received in one batch of a replay. */
export interface ReplayedOutputBatch {
  batchTimeMs: number;
  records: string[];
}

/** One output node of the replayed document and what it received, batch by batch. */
export interface ReplayedOutput {
  nodeId: string;
  label: string;
  kind: string;
  batches: ReplayedOutputBatch[];
}

/** A user function that threw on a record during a replay. */
export interface ReplayNodeError {
  nodeId: string;
  field?: string;
  message: string;
  batchTimeMs?: number;
}

/** The outputs of one document over a recording. */
export interface ReplayResult {
  /** The batch times replayed, in order. */
  batchTimesMs: number[];
  outputs: ReplayedOutput[];
  errors: ReplayNodeError[];
  /** What the replay had to change or could not do (sources not recorded, outputs kept from writing). */
  notes: string[];
}

/** A record and how many times it was added or removed. */
export interface CountedRecord {
  record: string;
  count: number;
}

/** What changed in one output in one batch. */
export interface OutputBatchChange {
  batchTimeMs: number;
  added: CountedRecord[];
  removed: CountedRecord[];
  /** Records before and after. */
  beforeCount: number;
  afterCount: number;
}

/** One output's changes; `only` says when the output exists in one of the documents alone. */
export interface OutputComparison {
  nodeId: string;
  label: string;
  only?: "before" | "after";
  /** The batches whose records changed, in time order. */
  changed: OutputBatchChange[];
  /** Batches compared with no change. */
  unchanged: number;
}

/** Two documents' outputs over the same recorded batches, output by output, batch by batch. */
export interface ReplayComparison {
  batchTimesMs: number[];
  outputs: OutputComparison[];
  /** Changed (output, batch) pairs, counting outputs found in one document only once per batch. */
  differences: number;
  /** Errors the user functions raised, per document. */
  errors: { before: ReplayNodeError[]; after: ReplayNodeError[] };
  notes: { before: string[]; after: string[] };
}

/** One batch replayed: each output's records before (the run's document) and after (the current one). */
export interface BatchReplay {
  batchTimeMs: number;
  outputs: {
    nodeId: string;
    label: string;
    only?: "before" | "after";
    /** The first records of each side (the counts and the difference are over all of them). */
    before: string[];
    after: string[];
    beforeCount: number;
    afterCount: number;
    added: CountedRecord[];
    removed: CountedRecord[];
  }[];
  errors: { before: ReplayNodeError[]; after: ReplayNodeError[] };
  notes: { before: string[]; after: string[] };
}
