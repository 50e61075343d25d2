// `npx tsx scripts/cassandra/article-pipelines.ts [--kafka host:port] [--cassandra host:port[,host:port]] [--out dir]`
// Writes the article's two detectors on Kafka + Cassandra as pipeline files (defaults
// localhost:9092 and localhost:9042, into data/article-pipelines), pointed at the given broker and
// cluster, to import on the New pipeline page ("Import a .json file").
import fs from "node:fs";
import path from "node:path";
import { parsePipelineDocument, type PipelineDocument } from "../../engine/pipeline/document";
import { fraudArticleKafkaCassandraTemplate, fraudArticleMapWithStateKafkaCassandraTemplate } from "../../engine/pipeline/samples";
import { parseContactPoints } from "../../engine/sources/cassandra/cluster";

/** The document with its Kafka sources and Cassandra lookup joins pointed at `kafka` and `cassandra`. */
export function pointedAt(document: PipelineDocument, kafka: string[], cassandra: string[]): PipelineDocument {
  return {
    ...document,
    nodes: document.nodes.map((n) => {
      if (n.kind === "kafka") return { ...n, config: { ...n.config, brokers: kafka } };
      if (n.kind === "lookupJoin" && n.config.source === "cassandra") return { ...n, config: { ...n.config, contactPoints: cassandra } };
      return n;
    }),
  };
}

export const ARTICLE_PIPELINE_FILES: Readonly<Record<string, PipelineDocument>> = {
  "fraud-article-kafka-cassandra.json": fraudArticleKafkaCassandraTemplate,
  "fraud-article-mapwithstate-kafka-cassandra.json": fraudArticleMapWithStateKafkaCassandraTemplate,
};

function main(argv: string[]): void {
  const flags: Record<string, string> = { "--kafka": "localhost:9092", "--cassandra": "localhost:9042", "--out": path.join("data", "article-pipelines") };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!(flag in flags)) throw new Error(`unknown argument ${JSON.stringify(argv[i])} (accepted: ${Object.keys(flags).join(", ")})`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    flags[flag] = value;
  }
  // Brokers are host:port lists too; the check's message speaks of Cassandra, so it is reworded.
  const kafka = (() => {
    try {
      return parseContactPoints(flags["--kafka"]);
    } catch (e) {
      throw new Error((e as Error).message.replace("Cassandra contact point", "Kafka broker").replace("Cassandra needs", "Kafka needs"));
    }
  })();
  const cassandra = parseContactPoints(flags["--cassandra"]);
  fs.mkdirSync(flags["--out"], { recursive: true });
  for (const [file, template] of Object.entries(ARTICLE_PIPELINE_FILES)) {
    // Checked as the app's import checks it, so a file written here always imports.
    const parsed = parsePipelineDocument(pointedAt(template, kafka, cassandra));
    if (!parsed.ok) throw new Error(`${file}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    const document = parsed.document;
    fs.writeFileSync(path.join(flags["--out"], file), JSON.stringify(document, null, 2) + "\n");
    console.log(`${path.join(flags["--out"], file)}: "${document.name}", Kafka ${kafka.join(",")}, Cassandra ${cassandra.join(",")}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`article-pipelines: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
