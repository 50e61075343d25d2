import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { readObjectFile, rddToFileName, StreamingContext, Time } from "../../../engine/index";
import { manualContext, runBatches } from "./helpers";

const open: StreamingContext[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "engine-files-"));
  dirs.push(d);
  return d;
}

describe("textFileStream", () => {
  test("reads each new file once, in the batch its modification time falls in", async () => {
    const dir = tempDir();
    const old = path.join(dir, "0");
    fs.writeFileSync(old, "0\n");
    fs.utimesSync(old, 10, 10); // 10 s: before the context's clock
    const { ssc, clock } = manualContext();
    open.push(ssc);
    clock.setTime(20_000);
    const batches: [number, string[]][] = [];
    ssc.textFileStream(dir).foreachRDD((rdd, t) => {
      batches.push([t.milliseconds, rdd.collect()]);
    });
    ssc.start();
    for (const i of [1, 2, 3]) {
      clock.setTime(clock.getTimeMillis() + 500);
      const f = path.join(dir, String(i));
      fs.writeFileSync(f, `${i}a\n${i}b\n`);
      fs.utimesSync(f, clock.getTimeMillis() / 1000, clock.getTimeMillis() / 1000);
      clock.setTime(clock.getTimeMillis() + 500);
      await ssc.awaitBatchesDue();
    }
    fs.writeFileSync(path.join(dir, ".hidden"), "x\n");
    await runBatches(ssc, clock, 1);
    expect(batches).toEqual([
      [21_000, ["1a", "1b"]],
      [22_000, ["2a", "2b"]],
      [23_000, ["3a", "3b"]],
      [24_000, []],
    ]);
  });
});

describe("textFileStream lines", () => {
  test("end at \\n or \\r\\n; a last line without a newline keeps a trailing \\r; an empty line stays", async () => {
    const dir = tempDir();
    const { ssc, clock } = manualContext();
    open.push(ssc);
    clock.setTime(20_000);
    const lines: string[][] = [];
    ssc.textFileStream(dir).foreachRDD((rdd) => {
      lines.push(rdd.collect());
    });
    ssc.start();
    clock.setTime(20_500);
    const f = path.join(dir, "crlf");
    fs.writeFileSync(f, "a\r\nb\n\r\n\nc\r");
    fs.utimesSync(f, 20.5, 20.5);
    clock.setTime(21_000);
    await ssc.awaitBatchesDue();
    expect(lines).toEqual([["a", "b", "", "", "c\r"]]);
  });
});

describe("saveAsTextFiles / saveAsObjectFiles", () => {
  test("name outputs <prefix>-<timeMs>.<suffix> as Spark's rddToFileName", () => {
    expect(rddToFileName("out/counts", "txt", new Time(3000))).toBe("out/counts-3000.txt");
    expect(rddToFileName("out/counts", "", new Time(3000))).toBe("out/counts-3000");
    expect(rddToFileName("", "txt", new Time(3000))).toBe("3000.txt");
  });

  test("write one directory per batch with a part file per partition", async () => {
    const dir = tempDir();
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const queue = [ssc.sc.makeRDD([["a", 1], ["b", 2], ["c", 3]] as [string, number][], 2)];
    const s = ssc.queueStream(queue);
    s.saveAsTextFiles(path.join(dir, "pairs"), "txt");
    s.saveAsObjectFiles(path.join(dir, "objects"));
    ssc.start();
    await runBatches(ssc, clock, 2);
    const batchDir = path.join(dir, "pairs-1000.txt");
    expect(fs.readdirSync(batchDir).sort()).toEqual(["_SUCCESS", "part-00000", "part-00001"]);
    expect(fs.readFileSync(path.join(batchDir, "part-00000"), "utf8")).toBe("(a,1)\n");
    expect(fs.readFileSync(path.join(batchDir, "part-00001"), "utf8")).toBe("(b,2)\n(c,3)\n");
    expect(readObjectFile(path.join(dir, "objects-1000"))).toEqual([["a", 1], ["b", 2], ["c", 3]]);
    expect(fs.existsSync(path.join(dir, "pairs-2000.txt", "_SUCCESS"))).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(["objects-1000", "objects-2000", "pairs-1000.txt", "pairs-2000.txt"]);
  });
});

