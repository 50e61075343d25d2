// `npm run cassandra:seed [-- host:port]`: creates finances.account_aggregates on any Cassandra
// (the Docker service, a cluster of yours; default localhost:9042) and upserts the article's
// accounts. `npm run cassandra:start` does this itself for the local server.
import { cassandraErrorText } from "../../engine/sources/cassandra/CassandraConnection";
import { ARTICLE_KEYSPACE, ARTICLE_TABLE, seedArticleTable } from "./schema";

const contactPoint = process.argv[2] ?? "localhost:9042";
try {
  const rows = await seedArticleTable(contactPoint);
  console.log(`Seeded ${ARTICLE_KEYSPACE}.${ARTICLE_TABLE} at ${contactPoint} with the article's ${rows} accounts.`);
} catch (error) {
  console.error(`cassandra:seed: ${cassandraErrorText(error, { contactPoints: [contactPoint], localDataCenter: "datacenter1" })}`);
  process.exit(1);
}
