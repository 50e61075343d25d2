/**
 * Run-process side: samples the run's sources about once a second of wall-clock time (so also
 * while the run is paused, when engine time stands still): each receiver stream's allowed rate
 * and records waiting, and each Kafka source's committed and end offsets per partition (kafkajs
 * admin, from this process, which already talks to those brokers).
 */
import { KafkaInputDStream } from "../../engine/sources/kafka/KafkaInputDStream";
import type { StreamingContext } from "../../engine/streaming/StreamingContext";
import type { KafkaSourceReport, SourcesReport } from "./types";

const OFFSETS_TIMEOUT_MS = 3000;

export function sampleSources(ssc: StreamingContext, post: (report: SourcesReport) => void, everyMs = 1000): () => void {
  const kafka: KafkaInputDStream[] = [];
  for (const s of ssc.graph.getInputStreams() as unknown[]) if (s instanceof KafkaInputDStream) kafka.push(s);
  const rates = () => ssc.scheduler.receiverTracker.rateStatus();
  if (kafka.length === 0 && rates().length === 0) return () => undefined;
  let busy = false;
  const sample = async (): Promise<void> => {
    if (busy) return; // a slow broker: skip a tick rather than pile up reads
    busy = true;
    try {
      const reports = await Promise.all(kafka.map(readKafka));
      post({ timeMs: Date.now(), rates: rates(), kafka: reports });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void sample(), everyMs);
  timer.unref();
  void sample();
  return () => clearInterval(timer);
}

async function readKafka(stream: KafkaInputDStream): Promise<KafkaSourceReport> {
  const receiver = stream.receiver();
  const base = { streamId: stream.id, groupId: receiver.groupId, topics: receiver.topics };
  try {
    const partitions = await withTimeout(receiver.readOffsets(), OFFSETS_TIMEOUT_MS);
    return { ...base, partitions: partitions.map((p) => ({ ...p })) };
  } catch (e) {
    return { ...base, partitions: [], error: `could not read offsets from ${receiver.brokers.join(",")}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
