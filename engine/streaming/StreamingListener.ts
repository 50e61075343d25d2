import type {
  BatchCompletedEvent,
  BatchStartedEvent,
  BatchSubmittedEvent,
  CheckpointRestoredEvent,
  CheckpointWrittenEvent,
  ErrorEvent,
  OutputOperationCompletedEvent,
  OutputOperationStartedEvent,
  ReceiverEvent,
  StreamRecordsEvent,
  StreamingEvent,
  StreamingStartedEvent,
  StreamingStoppedEvent,
  WarningEvent,
  WindowEvent,
} from "./events";

/**
 * Spark's StreamingListener: implement the callbacks you need, or `onEvent` for all of them.
 * Callbacks run synchronously on the engine's thread; keep them short.
 */
export interface StreamingListener {
  onEvent?(event: StreamingEvent): void;
  onStreamingStarted?(event: StreamingStartedEvent): void;
  onStreamingStopped?(event: StreamingStoppedEvent): void;
  onBatchSubmitted?(event: BatchSubmittedEvent): void;
  onBatchStarted?(event: BatchStartedEvent): void;
  onBatchCompleted?(event: BatchCompletedEvent): void;
  onOutputOperationStarted?(event: OutputOperationStartedEvent): void;
  onOutputOperationCompleted?(event: OutputOperationCompletedEvent): void;
  onStreamRecords?(event: StreamRecordsEvent): void;
  onWindow?(event: WindowEvent): void;
  onError?(event: ErrorEvent): void;
  onReceiverStarted?(event: ReceiverEvent): void;
  onReceiverStopped?(event: ReceiverEvent): void;
  onReceiverError?(event: ReceiverEvent): void;
  onCheckpointWritten?(event: CheckpointWrittenEvent): void;
  onCheckpointRestored?(event: CheckpointRestoredEvent): void;
  onWarning?(event: WarningEvent): void;
}

type Handlers = { [E in StreamingEvent as E["type"]]: (l: StreamingListener, e: E) => void };

const HANDLERS: Handlers = {
  streamingStarted: (l, e) => l.onStreamingStarted?.(e),
  streamingStopped: (l, e) => l.onStreamingStopped?.(e),
  batchSubmitted: (l, e) => l.onBatchSubmitted?.(e),
  batchStarted: (l, e) => l.onBatchStarted?.(e),
  batchCompleted: (l, e) => l.onBatchCompleted?.(e),
  outputOperationStarted: (l, e) => l.onOutputOperationStarted?.(e),
  outputOperationCompleted: (l, e) => l.onOutputOperationCompleted?.(e),
  streamRecords: (l, e) => l.onStreamRecords?.(e),
  window: (l, e) => l.onWindow?.(e),
  error: (l, e) => l.onError?.(e),
  receiverStarted: (l, e) => l.onReceiverStarted?.(e),
  receiverStopped: (l, e) => l.onReceiverStopped?.(e),
  receiverError: (l, e) => l.onReceiverError?.(e),
  checkpointWritten: (l, e) => l.onCheckpointWritten?.(e),
  checkpointRestored: (l, e) => l.onCheckpointRestored?.(e),
  warning: (l, e) => l.onWarning?.(e),
};

/**
 * Delivers events to listeners. Producers check `hasListeners` before building a payload, so an
 * unobserved engine pays one boolean test per event site.
 */
export class StreamingListenerBus {
  private listeners: StreamingListener[] = [];
  hasListeners = false;

  add(listener: StreamingListener | ((event: StreamingEvent) => void)): StreamingListener {
    const l = typeof listener === "function" ? { onEvent: listener } : listener;
    this.listeners = [...this.listeners, l];
    this.hasListeners = true;
    return l;
  }
  remove(listener: StreamingListener): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
    this.hasListeners = this.listeners.length > 0;
  }
  post(event: StreamingEvent): void {
    const handler = HANDLERS[event.type] as (l: StreamingListener, e: StreamingEvent) => void;
    for (const l of this.listeners) {
      try {
        l.onEvent?.(event);
        handler(l, event);
      } catch (e) {
        // A faulty listener must not break the batch it observes (Spark's bus logs and goes on).
        console.error(`StreamingListener threw on ${event.type}:`, e);
      }
    }
  }
}
