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
      // Spark local[2] against our engine, through the runner (built with Maven first, cached):
      // its own group, so that its JVM never competes with the other suites for the cores.
      {
        resolve: { alias },
        test: {
          name: "spark",
          include: ["tests/integration/spark-*.test.ts"],
          environment: "node" as const,
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
