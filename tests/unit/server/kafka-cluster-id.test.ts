import { describe, expect, it } from "vitest";
import { newClusterId } from "../../../scripts/kafka/broker.mjs";

// The local broker's storage is formatted with a new cluster id each time. One in 64 base64url
// ids starts with "-", which Kafka's storage tool would read as an option and refuse.

describe("newClusterId", () => {
  it("is Kafka's Uuid text form and never starts with a dash", () => {
    for (let i = 0; i < 5000; i++) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
