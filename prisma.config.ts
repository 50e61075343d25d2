import { defineConfig } from "prisma/config";
import { databaseTarget } from "./scripts/db-target.mjs";

// The JavaScript schema engine with a driver adapter: `prisma db push` then needs no
// downloaded engine binary, which keeps install and start working offline.
const target = databaseTarget();

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: target.schemaPath,
  async adapter() {
    if (target.provider === "postgresql") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: target.url });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url: target.url });
  },
});
