/** Pure, browser-safe helpers of the article's fraud detection: AggregateData math and the rules. */
export * from "./aggregate";
export * from "./flags";
