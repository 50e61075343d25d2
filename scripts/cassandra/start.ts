// `npm run cassandra:start [-- --port 9042 --data-dir data/cassandra --heap 768m --timeout 180]`
// Starts the local Cassandra (see README.md), then creates finances.account_aggregates and seeds
// the article's accounts; exits 0 if it is already running (the seed runs again: upserts).
import { parseCliFlags, startCassandra } from "./server.mjs";
import { ARTICLE_KEYSPACE, ARTICLE_TABLE, seedArticleTable } from "./schema";

try {
  const options = parseCliFlags(process.argv.slice(2), ["--port", "--storage-port", "--data-dir", "--heap", "--timeout"]);
  const server = await startCassandra(options);
  const rows = await seedArticleTable(server.contactPoint);
  console.log(`Seeded ${ARTICLE_KEYSPACE}.${ARTICLE_TABLE} with the article's ${rows} accounts.`);
  console.log(`Contact point: ${server.contactPoint}   Local data center: datacenter1   Log: ${server.logFile}`);
} catch (error) {
  console.error(`cassandra:start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
