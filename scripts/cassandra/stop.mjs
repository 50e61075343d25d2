// `npm run cassandra:stop [-- --data-dir data/cassandra]`: stops the Cassandra started from that
// data folder; exits 0 if none is running.
import { parseCliFlags, stopCassandra } from "./server.mjs";

try {
  await stopCassandra(parseCliFlags(process.argv.slice(2), ["--data-dir"]));
} catch (error) {
  console.error(`cassandra:stop: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
