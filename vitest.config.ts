import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: { name: "conformance", include: ["tests/conformance/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          exclude: ["tests/integration/spark-*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ["tests/integration/setup/kafka.global.ts", "tests/integration/setup/cassandra.global.ts"],
        },
      },
      // Spark local[2] against our engine (the runner built with Maven first): minutes of JVM
      // time, so only on request (`npm run test:spark`), not in `npm test`; see README "Run on Spark".
      ...(process.env.DSTREAM_SPARK_TESTS === "1"
        ? [
            {
              resolve: { alias },
              test: {
                name: "spark",
                include: ["tests/integration/spark-*.test.ts"],
                environment: "node" as const,
                testTimeout: 600_000,
                hookTimeout: 900_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
