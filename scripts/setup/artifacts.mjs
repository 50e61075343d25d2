// Every set of jars the suites need, fetched into .cache by Maven (see jars.mjs). A server script
// (scripts/kafka, later Cassandra and Spark) adds its pom here, and `npm test` fetches them all
// before any suite starts, with a progress line per jar.
import path from "node:path";
import { fetchJars, pomProperty, rootDir } from "./jars.mjs";

const kafkaPom = path.join(rootDir, "scripts", "kafka", "pom.xml");
const cassandraPom = path.join(rootDir, "scripts", "cassandra", "pom.xml");

/** The jar sets: label, pom, cache folder and the jar that must be there. */
export function jarSets() {
  const kafkaVersion = pomProperty(kafkaPom, "kafka.version");
  const cassandraVersion = pomProperty(cassandraPom, "cassandra.version");
  return [
    {
      label: `Apache Kafka ${kafkaVersion}`,
      pomFile: kafkaPom,
      libs: path.join(rootDir, ".cache", "kafka", kafkaVersion, "libs"),
      mainJar: `kafka_2.13-${kafkaVersion}`,
    },
    {
      label: `Apache Cassandra ${cassandraVersion}`,
      pomFile: cassandraPom,
      libs: path.join(rootDir, ".cache", "cassandra", cassandraVersion, "libs"),
      mainJar: `cassandra-all-${cassandraVersion}`,
    },
  ];
}

/** Fetches every jar set that is not cached yet, one after the other. */
export async function fetchAllJars(log = (line) => console.log(line)) {
  for (const set of jarSets()) await fetchJars({ ...set, log });
}
