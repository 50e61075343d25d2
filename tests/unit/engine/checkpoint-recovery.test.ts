import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { describeSkipped, ManualClock, recoverNewestUsable, searchCheckpoints, Seconds, StreamingContext, type StreamingEvent } from "../../../engine/index";
import { collectOutput, TestInputStream } from "../../conformance/harness";

// Recovery that fails loudly and falls back: every kind of damage is named (empty, truncated,
// checksum, version), the newest file that verifies is used, and with none usable nothing is
// created behind the caller's back.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function countingContext(dir: string | undefined, clock: ManualClock) {
  const ssc = new StreamingContext(Seconds(1), { clock, defaultParallelism: 2 });
  if (dir !== undefined) ssc.checkpoint(dir);
  const input = Array.from({ length: 10 }, () => ["a", "b", "a"]);
  const counts = new TestInputStream(ssc, input, 2)
    .map((x) => [x, 1] as [string, number])
    .updateStateByKey((vs: number[], s: number | undefined) => vs.length + (s ?? 0))
    .checkpoint(Seconds(2));
  const output = collectOutput(counts);
  const events: StreamingEvent[] = [];
  ssc.addStreamingListener((e) => events.push(e));
  return { ssc, output, events };
}

/** A directory holding checkpoint-2000 and checkpoint-4000 of a counting run. */
async function twoCheckpoints(): Promise<{ dir: string; older: string; newest: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-recovery-unit-"));
  dirs.push(dir);
  const clock = new ManualClock(0);
  const { ssc } = countingContext(dir, clock);
  ssc.start();
  for (let i = 0; i < 4; i++) {
    clock.advance(Seconds(1));
    await ssc.awaitBatchesDue();
  }
  await ssc.stop();
  return { dir, older: path.join(dir, "checkpoint-2000"), newest: path.join(dir, "checkpoint-4000") };
}

const damage = {
  truncated: (f: string) => fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2)),
  "byte-flipped": (f: string) => {
    const bytes = fs.readFileSync(f);
    bytes[bytes.length - 10] ^= 0xff;
    fs.writeFileSync(f, bytes);
  },
  empty: (f: string) => fs.writeFileSync(f, ""),
  "wrong version": (f: string) => {
    const bytes = fs.readFileSync(f);
    bytes.writeUInt32LE(7, 8);
    fs.writeFileSync(f, bytes);
  },
};
const expectedKind = { truncated: "truncated", "byte-flipped": "checksum", empty: "empty", "wrong version": "version" } as const;
const expectedReason = {
  truncated: "truncated: the header announces",
  "byte-flipped": "checksum mismatch",
  empty: "empty: the file holds 0 bytes",
  "wrong version": "written in checkpoint format version 7",
} as const;

describe("a damaged newest checkpoint, an intact older one", () => {
  for (const [name, spoil] of Object.entries(damage) as [keyof typeof damage, (f: string) => void][]) {
    test(`${name}: recovery skips it, names it and why, and restores the older file`, async () => {
      const { dir, older, newest } = await twoCheckpoints();
      spoil(newest);
      const clock = new ManualClock(4000);
      let ctx!: ReturnType<typeof countingContext>;
      const outcome = recoverNewestUsable(dir, () => (ctx = countingContext(undefined, clock)).ssc);
      expect(outcome.kind).toBe("restored");
      if (outcome.kind !== "restored") return;
      expect(outcome.file).toBe(older);
      expect(outcome.skipped.map((s) => [s.file, s.kind])).toEqual([[newest, expectedKind[name]]]);
      expect(describeSkipped(outcome.skipped)[0]).toContain(`checkpoint-4000 (${expectedKind[name]}): ${expectedReason[name]}`);
      // The state is that of batch 2: batches 3 and 4 run again and give the counts they gave before.
      outcome.ssc.start();
      await outcome.ssc.awaitBatchesDue();
      await outcome.ssc.stop();
      expect(ctx.output.map((b) => Object.fromEntries(b.flat()))).toEqual([
        { a: 6, b: 3 },
        { a: 8, b: 4 },
      ]);
      const warning = ctx.events.find((e) => e.type === "warning" && e.code === "checkpoint-unreadable");
      expect((warning as { message: string }).message).toContain(newest);
    });
  }
});

describe("no usable checkpoint", () => {
  test("every file damaged: nothing is created, and the search lists each file with why", async () => {
    const { dir, older, newest } = await twoCheckpoints();
    damage.truncated(newest);
    damage["byte-flipped"](older);
    let created = 0;
    const outcome = recoverNewestUsable(dir, () => {
      created++;
      return countingContext(undefined, new ManualClock(0)).ssc;
    });
    expect(outcome.kind).toBe("unusable");
    expect(created).toBe(0);
    if (outcome.kind !== "unusable") return;
    expect(outcome.search.skipped.map((s) => [path.basename(s.file), s.kind])).toEqual([
      ["checkpoint-4000", "truncated"],
      ["checkpoint-2000", "checksum"],
    ]);
  });

  test("no checkpoint file at all: a new context is created (nothing was lost)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-recovery-unit-"));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, "damaged-checkpoint-4000"), "moved aside");
    expect(searchCheckpoints(dir).files).toEqual([]);
    const outcome = recoverNewestUsable(dir, () => countingContext(dir, new ManualClock(0)).ssc);
    expect(outcome.kind).toBe("created");
  });
});
