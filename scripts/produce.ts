// `npm run produce -- [SERVERS] [TOPIC] [RANDOMIZE] [--rate N] [--count N] [--seed N] [--time-scale X] [--quiet]`
//
// The article's KafkaTransactionProducer: sends transaction log lines
// (`id,MM/dd/yyyy,account,amount,description`) as Kafka messages with no key.
// Deterministic mode sends the 101 scripted transactions with the growing delays;
// random mode sends random ones with up to 5 s between them until Enter is pressed.
// The lines come from engine/sources/transactionLog.ts, like the in-process source.
import path from "node:path";
import { pathToFileURL } from "node:url";
import kafkajs from "kafkajs";
import type { Producer } from "kafkajs";
import {
  DETERMINISTIC_TRANSACTION_COUNT,
  deterministicDelayMs,
  deterministicTransaction,
  formatTransactionLine,
  seededRandom,
  transactionSchedule,
  type RandomSource,
  type TransactionLogMode,
  type TransactionSchedule,
} from "../engine/sources/transactionLog";

const { Kafka, Partitioners, logLevel } = kafkajs;

const USAGE = `Usage: npm run produce -- [SERVERS] [TOPIC] [RANDOMIZE] [options]
  SERVERS        comma-separated host:port list (default localhost:9092)
  TOPIC          topic to produce to (default transactions)
  RANDOMIZE      yes | no: random transactions until Enter, or the 101 scripted ones (default no)
Options:
  --rate N       send N records per second, replacing the article's delays
  --count N      stop after N records (in deterministic mode, N > 101 continues the round-robin)
  --seed N       seed the random mode so that runs repeat
  --time-scale X multiply the delays by X (e.g. 0.01); not with --rate
  --quiet        print a summary instead of one "Sent -> " line per record
  --help         this text`;

export interface ProducerArgs {
  brokers: string[];
  topic: string;
  mode: TransactionLogMode;
  rate: number | null;
  count: number | null;
  seed: number | null;
  timeScale: number;
  quiet: boolean;
}

export class ArgumentError extends Error {}

function parseBrokers(value: string): string[] {
  const brokers = value.split(",").map((s) => s.trim());
  for (const broker of brokers) {
    const match = /^(.+):(\d+)$/.exec(broker);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new ArgumentError(`SERVERS must be a comma-separated list of host:port, got "${value}" ("${broker}")`);
    }
  }
  return brokers;
}

function parseNumberFlag(flag: string, value: string | undefined, check: (n: number) => boolean, what: string): number {
  if (value === undefined) throw new ArgumentError(`${flag} needs a value (${what})`);
  const n = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new ArgumentError(`${flag} must be ${what}, got "${value}"`);
  return n;
}

export function parseProducerArgs(argv: readonly string[]): ProducerArgs {
  const positional: string[] = [];
  let rate: number | null = null;
  let count: number | null = null;
  let seed: number | null = null;
  let timeScale: number | null = null;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const takeValue = () => (eq === -1 ? argv[++i] : arg.slice(eq + 1));
    switch (flag) {
      case "--rate":
        rate = parseNumberFlag(flag, takeValue(), (n) => n > 0, "a positive number of records per second");
        break;
      case "--count":
        count = parseNumberFlag(flag, takeValue(), (n) => Number.isInteger(n) && n > 0, "a positive integer");
        break;
      case "--seed":
        seed = parseNumberFlag(flag, takeValue(), (n) => Number.isInteger(n), "an integer");
        break;
      case "--time-scale":
        timeScale = parseNumberFlag(flag, takeValue(), (n) => n >= 0, "a number >= 0");
        break;
      case "--quiet":
        quiet = true;
        break;
      default:
        throw new ArgumentError(`unknown option "${arg}"`);
    }
  }
  if (positional.length > 3) {
    throw new ArgumentError(
      `at most 3 arguments (SERVERS TOPIC RANDOMIZE), got ${positional.length}: ${positional.join(" ")}`,
    );
  }
  const [serversArg = "localhost:9092", topic = "transactions", randomizeArg = "no"] = positional;
  const brokers = parseBrokers(serversArg);
  // Kafka's rule for topic names.
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic) || topic === "." || topic === "..") {
    throw new ArgumentError(`TOPIC must be 1-249 characters of a-z A-Z 0-9 . _ -, got "${topic}"`);
  }
  const randomize = randomizeArg.toLowerCase();
  if (randomize !== "yes" && randomize !== "no") {
    throw new ArgumentError(`RANDOMIZE must be yes or no, got "${randomizeArg}"`);
  }
  const mode: TransactionLogMode = randomize === "yes" ? "random" : "deterministic";
  if (seed !== null && mode !== "random") {
    throw new ArgumentError(`--seed applies to random mode only (RANDOMIZE=yes), got RANDOMIZE "${randomizeArg}"`);
  }
  if (rate !== null && timeScale !== null) {
    throw new ArgumentError(
      `--time-scale ${timeScale} has no effect with --rate ${rate} (the rate replaces the delays)`,
    );
  }
  return { brokers, topic, mode, rate, count, seed, timeScale: timeScale ?? 1, quiet };
}

/**
 * The records to send, in order. Deterministic mode is the 101 scripted steps unless
 * `count` asks for more, in which case the same round-robin goes on.
 */
export function* producerSchedule(
  mode: TransactionLogMode,
  count: number | null,
  random: RandomSource,
): Generator<TransactionSchedule> {
  let sent = 0;
  for (const item of transactionSchedule(mode, random)) {
    if (count !== null && sent >= count) return;
    yield item;
    sent++;
  }
  for (let step = DETERMINISTIC_TRANSACTION_COUNT; count !== null && step < count; step++) {
    yield { delayMs: deterministicDelayMs(step), entry: deterministicTransaction(step) };
  }
}

/** Resolves when the user asks to stop: Enter, Ctrl-C / SIGTERM, or (for unbounded runs) the end of stdin. */
function stopSignal(stopOnEndOfInput: boolean): { stopped: () => boolean; wait: Promise<void>; dispose: () => void } {
  let stop = false;
  let resolveWait: () => void = () => {};
  const wait = new Promise<void>((resolve) => (resolveWait = resolve));
  const trigger = () => {
    stop = true;
    resolveWait();
  };
  const onData = (chunk: Buffer) => {
    if (chunk.includes(0x0a) || chunk.includes(0x0d)) trigger();
  };
  const onEnd = () => {
    if (stopOnEndOfInput) trigger();
  };
  process.stdin.on("data", onData);
  process.stdin.on("end", onEnd);
  process.stdin.on("error", onEnd);
  process.on("SIGINT", trigger);
  process.on("SIGTERM", trigger);
  return {
    stopped: () => stop,
    wait,
    dispose: () => {
      process.stdin.off("data", onData);
      process.stdin.off("end", onEnd);
      process.stdin.pause();
      process.stdin.destroy();
    },
  };
}

/** Sleeps until `deadline` (ms since epoch) or until stop is requested. */
async function sleepUntil(deadline: number, stop: Promise<void>): Promise<void> {
  const ms = deadline - Date.now();
  if (ms <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), stop]);
  clearTimeout(timer);
}

interface Output {
  write(lines: string[]): void;
}

/** The article's pacing: each record waits its (scaled) delay, measured from the schedule, not from the last ack. */
async function runPaced(
  producer: Producer,
  args: ProducerArgs,
  schedule: Iterable<TransactionSchedule>,
  stop: ReturnType<typeof stopSignal>,
  out: Output,
): Promise<number> {
  let sent = 0;
  let due = Date.now();
  for (const { delayMs, entry } of schedule) {
    due += delayMs * args.timeScale;
    await sleepUntil(due, stop.wait);
    if (stop.stopped()) break;
    const line = formatTransactionLine(entry, new Date());
    await producer.send({ topic: args.topic, messages: [{ value: line }] });
    sent++;
    out.write([line]);
  }
  return sent;
}

/**
 * Records per produce request. kafkajs groups a request's messages per partition by
 * copying the group for every message (quadratic), so about a thousand is the sweet spot.
 */
const MAX_BATCH = 1000;

/**
 * --rate: records are due at `rate` per second from the start; whatever is due is sent in
 * batches, so high rates cost few requests. One batch in flight at a time keeps the order
 * (overlapping batches measured no faster: kafkajs serialises an idempotent producer's
 * requests per broker). Lines are printed once acknowledged.
 */
async function runAtRate(
  producer: Producer,
  args: ProducerArgs,
  schedule: Iterator<TransactionSchedule>,
  rate: number,
  stop: ReturnType<typeof stopSignal>,
  out: Output,
): Promise<number> {
  const start = Date.now();
  let sent = 0;
  let exhausted = false;
  while (!exhausted && !stop.stopped()) {
    const dueCount = Math.floor(((Date.now() - start) * rate) / 1000) + 1;
    if (dueCount <= sent) {
      await sleepUntil(start + ((sent + 1) * 1000) / rate, stop.wait);
      continue;
    }
    const lines: string[] = [];
    const now = new Date();
    while (lines.length < Math.min(dueCount - sent, MAX_BATCH)) {
      const next = schedule.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      lines.push(formatTransactionLine(next.value.entry, now));
    }
    if (lines.length === 0) break;
    await producer.send({ topic: args.topic, messages: lines.map((value) => ({ value })) });
    sent += lines.length;
    out.write(lines);
  }
  return sent;
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let args: ProducerArgs;
  try {
    args = parseProducerArgs(argv);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    console.error(`produce: ${error.message}\n\n${USAGE}`);
    return 2;
  }

  const kafka = new Kafka({
    clientId: "dstream-studio-transaction-producer",
    brokers: args.brokers,
    // Errors are reported once, below, instead of kafkajs's per-retry log lines.
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    // Retries never duplicate or reorder records, so --count N delivers exactly N.
    idempotent: true,
    allowAutoTopicCreation: true,
  });

  // An unbounded run (random mode without --count) ends with stdin; bounded runs keep going
  // when stdin is closed, e.g. when started from a script.
  const stop = stopSignal(args.mode === "random" && args.count === null);
  const out: Output = args.quiet
    ? { write: () => {} }
    : { write: (lines) => process.stdout.write(lines.map((line) => `Sent -> ${line}\n`).join("")) };
  const started = Date.now();
  let total = 0;
  try {
    process.stdout.write(">>>Press [ENTER] to shut the producer down\n");
    await producer.connect();
    const random = args.seed === null ? Math.random : seededRandom(args.seed);
    const schedule = producerSchedule(args.mode, args.count, random);
    total =
      args.rate === null
        ? await runPaced(producer, args, schedule, stop, out)
        : await runAtRate(producer, args, schedule[Symbol.iterator](), args.rate, stop, out);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`produce: could not send to ${args.brokers.join(",")} topic "${args.topic}": ${message}`);
    return 1;
  } finally {
    stop.dispose();
    await producer.disconnect().catch(() => {});
  }
  if (args.quiet || args.rate !== null) {
    const seconds = (Date.now() - started) / 1000;
    console.error(
      `produce: sent ${total} records to "${args.topic}" in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s)`,
    );
  }
  return 0;
}

// Run only as a command, so the parser can be imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`produce: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
