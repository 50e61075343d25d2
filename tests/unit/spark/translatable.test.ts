// The Studio refuses, before anything starts, a node the Spark runner cannot translate: its list of
// translated kinds must be the runner's own (the kinds of Translate.scala's `kind match`).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog, isNodeKind } from "@/engine/pipeline/catalog";
import { SPARK_REFUSED_KINDS, SPARK_TRANSLATED_KINDS, untranslatableNodes } from "@/server/spark/translatable";
import { runnerDocument, SparkRefusal } from "@/server/spark/runner";
import { templates } from "@/engine/pipeline/samples";
import { doc } from "../pipeline/harness";

const translateScala = fs.readFileSync(path.resolve(import.meta.dirname, "../../../spark/src/main/scala/dstream/studio/Translate.scala"), "utf8");

/** The node kinds the runner's `produced = kind match { ... }` has a case for. */
function runnerKinds(): Set<string> {
  const start = translateScala.indexOf("val produced");
  const end = translateScala.indexOf("case other => refuse", start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const kinds = new Set<string>();
  for (const line of translateScala.slice(start, end).split("\n")) {
    const m = /^\s*case ((?:"[A-Za-z]+"(?: \| )?)+) =>/.exec(line);
    if (m) for (const k of m[1].matchAll(/"([A-Za-z]+)"/g)) if (isNodeKind(k[1])) kinds.add(k[1]);
  }
  return kinds;
}

describe("Spark runner: which nodes it translates", () => {
  it("the Studio's list is the runner's, and every entry is a catalog kind", () => {
    expect([...SPARK_TRANSLATED_KINDS].sort()).toEqual([...runnerKinds()].sort());
    for (const kind of SPARK_TRANSLATED_KINDS) expect(isNodeKind(kind)).toBe(true);
  });

  it("every catalog kind is either translated or refused with a reason, never both", () => {
    for (const kind of Object.keys(catalog)) {
      const translated = SPARK_TRANSLATED_KINDS.has(kind);
      const reason = SPARK_REFUSED_KINDS[kind];
      expect(translated !== (reason !== undefined), kind).toBe(true);
      if (reason !== undefined) expect(reason.length, kind).toBeGreaterThan(20);
    }
    for (const kind of Object.keys(SPARK_REFUSED_KINDS)) expect(isNodeKind(kind), kind).toBe(true);
  });

  it("every template translates", () => {
    for (const [name, template] of Object.entries(templates)) expect(untranslatableNodes(template), name).toEqual([]);
  });

  it("refuses a document with an untranslated node before start, naming the node and why", () => {
    const d = doc([["lines", "textFiles", { directory: "in" }], ["out", "print"]], [["lines", "out"]]);
    expect(untranslatableNodes(d)).toEqual([{ nodeId: "lines", message: `node lines (textFiles): ${SPARK_REFUSED_KINDS.textFiles}` }]);
    const refused = (() => {
      try {
        runnerDocument(d);
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(SparkRefusal);
    expect((refused as SparkRefusal).nodeId).toBe("lines");
    expect((refused as SparkRefusal).message).toMatch(/^node lines \(textFiles\): /);
  });

  it("refuses a lookup join on Cassandra, which the runner has no connector for", () => {
    const d = doc([["q", "queue"], ["kv", "mapToPair"], ["j", "lookupJoin", { source: "cassandra" }], ["out", "print"]], [["q", "kv"], ["kv", "j"], ["j", "out"]]);
    expect(untranslatableNodes(d).map((r) => r.nodeId)).toEqual(["j"]);
    expect(untranslatableNodes(d)[0].message).toMatch(/^node j \(lookupJoin\): .*Cassandra connector/);
    expect(translateScala).toContain(untranslatableNodes(d)[0].message.replace("node j (lookupJoin): ", ""));
  });

  it("hands the runner every node's config completed with its defaults", () => {
    const d = runnerDocument(doc([["q", "queue"], ["p", "print"]], [["q", "p"]]));
    expect(d.nodes.find((n) => n.id === "p")!.config).toEqual({ num: 10 });
    expect(d.nodes.find((n) => n.id === "q")!.config.oneAtATime).toBe(true);
  });
});
