/** Replaying recorded input batches through a pipeline document and comparing outputs. */
export { replayRecording, ReplayLimitError, type ReplayOptions } from "./replay";
export { replayableDocument, outputNodes } from "./replayDocument";
export { compareReplays, batchReplay } from "./compare";
export { multisetDiff } from "./multiset";
export { parseRecordedBatch, checkRecording, InvalidRecordingError, type RecordingLimits } from "./recording";
export type * from "./types";
