// The article's keyspace and table, `finances.account_aggregates`, and its accounts' historic
// averages (ARTICLE_HISTORIC_AVERAGES, the same rows the app's own table starts with).
// `npm run cassandra:start` and the integration-test setup run it after the server answers.
import cassandra from "cassandra-driver";
import { ARTICLE_HISTORIC_AVERAGES } from "../../engine/pipeline/samples";
import { LOCAL_DATA_CENTER } from "./server.mjs";

export const ARTICLE_KEYSPACE = "finances";
export const ARTICLE_TABLE = "account_aggregates";

/** CQL that creates the keyspace and table if they are missing (one replica: a single node). */
export const ARTICLE_SCHEMA_CQL = [
  `CREATE KEYSPACE IF NOT EXISTS ${ARTICLE_KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  `CREATE TABLE IF NOT EXISTS ${ARTICLE_KEYSPACE}.${ARTICLE_TABLE} (account_number text PRIMARY KEY, average_transaction double)`,
];

/**
 * Creates the article's keyspace and table at `contactPoint` (host:port) and upserts its accounts.
 * Resolves to the number of rows written. Rows of other accounts are left as they are.
 */
export async function seedArticleTable(contactPoint: string, averages: Readonly<Record<string, number>> = ARTICLE_HISTORIC_AVERAGES): Promise<number> {
  const client = new cassandra.Client({ contactPoints: [contactPoint], localDataCenter: LOCAL_DATA_CENTER });
  try {
    await client.connect();
    for (const cql of ARTICLE_SCHEMA_CQL) await client.execute(cql);
    const insert = `INSERT INTO ${ARTICLE_KEYSPACE}.${ARTICLE_TABLE} (account_number, average_transaction) VALUES (?, ?)`;
    for (const [account, average] of Object.entries(averages)) await client.execute(insert, [account, average], { prepare: true });
    return Object.keys(averages).length;
  } finally {
    await client.shutdown();
  }
}
