// `npm run kafka:start [-- --port 9092 --data-dir data/kafka --partitions 1 --heap 512m --timeout 90]`
// Starts the local Kafka broker (see README.md); exits 0 if it is already running.
import { parseCliFlags, startBroker } from "./broker.mjs";

try {
  const options = parseCliFlags(process.argv.slice(2), [
    "--port",
    "--controller-port",
    "--data-dir",
    "--partitions",
    "--heap",
    "--timeout",
  ]);
  const broker = await startBroker(options);
  console.log(`Bootstrap servers: ${broker.bootstrap}   Broker log: ${broker.logFile}`);
} catch (error) {
  console.error(`kafka:start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
