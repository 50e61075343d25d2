// `npm run kafka:stop [-- --data-dir data/kafka]`: stops the broker started from that data
// directory; exits 0 if none is running.
import { parseCliFlags, stopBroker } from "./broker.mjs";

try {
  const options = parseCliFlags(process.argv.slice(2), ["--data-dir"]);
  await stopBroker(options);
} catch (error) {
  console.error(`kafka:stop: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
