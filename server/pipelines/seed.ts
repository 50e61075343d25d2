import { sampleTransactionsPipeline } from "../../engine/pipeline/samples";
import type { Database } from "../db/client";
import { seedTables } from "../tables/store";
import { createPipeline } from "./repository";

/** A new installation opens on a sample pipeline and the article's historic averages; an existing one is left as it is. */
export async function seedSamplePipelines(db: Database): Promise<void> {
  if ((await db.pipeline.count()) > 0) return;
  // The sample is the "transactions" example: Run on that example's card opens it.
  await createPipeline(db, sampleTransactionsPipeline, "transactions");
  await seedTables(db);
}
