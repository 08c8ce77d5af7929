import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { startWriter, WRITE_BEHIND_MIN_FILES } from "../../src/codemod/write-behind.js";
import { instrumentText } from "../../src/codemod/instrument.js";
import type { FileResult } from "../../src/codemod/run.js";

// The write-behind thread (write-behind.ts) runs the built worker entry: ts-jest has no
// writer-worker.js beside the source, so these tests name dist's (npm test builds first).
const ROOT = join(__dirname, "../..");
const WORKER = join(ROOT, "dist/cjs/codemod/writer-worker.js");
const CLI = join(ROOT, "bin/functrace-gen.js");
/** A name that fits (255 bytes) while the writer's temporary name beside it does not. */
const LONG = `${"l".repeat(236)}.js`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "functrace-write-behind-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function result(name: string, before: string, after: string): FileResult {
  const abs = join(dir, name);
  writeFileSync(abs, before);
  return { abs, path: name, status: "changed", before, after, functions: 1, skippedFunctions: [] };
}

const many = (n: number) => Array.from({ length: n }, (_, i) => result(`f${i}.js`, `old ${i}\n`, `new ${i}\n`));
const leftovers = () => readdirSync(dir).filter((f) => f.includes(".functrace-"));

describe("write-behind", () => {
  it("should write every file on its own thread, with its mode kept, and no temporary file left", () => {
    const files = many(40);
    chmodSync(files[3].abs, 0o751);
    const writer = startWriter(WRITE_BEHIND_MIN_FILES, { entry: WORKER });
    for (const r of files) writer.write(r);
    // written while this thread goes on (here: sleeps), before finish() is called
    const last = files[files.length - 1].abs;
    for (let waited = 0; readFileSync(last, "utf8") !== "new 39\n" && waited < 10_000; waited += 20) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(files.map((r) => readFileSync(r.abs, "utf8"))).toEqual(files.map((_, i) => `new ${i}\n`));
    writer.finish();
    expect(files.every((r) => r.status === "changed")).toBe(true);
    expect(statSync(files[3].abs).mode & 0o7777).toBe(0o751);
    expect(leftovers()).toEqual([]);
  });

  it("should mark a file it cannot write failed, naming it, and still write the others", () => {
    const files = many(20);
    const bad = result(LONG, "old\n", "new\n");
    const writer = startWriter(WRITE_BEHIND_MIN_FILES, { entry: WORKER });
    for (const r of [...files.slice(0, 10), bad, ...files.slice(10)]) writer.write(r);
    writer.finish();
    expect(bad.status).toBe("failed");
    expect(bad.reason).toMatch(new RegExp(`^${LONG}: cannot write: .*ENAMETOOLONG`));
    expect(readFileSync(bad.abs, "utf8")).toBe("old\n");
    expect(files.map((r) => [r.status, readFileSync(r.abs, "utf8")])).toEqual(files.map((_, i) => ["changed", `new ${i}\n`]));
  });

  it("should write what a writer that never answers was sent, once it has waited stallMs", () => {
    const silent = join(dir, "silent-worker.js");
    writeFileSync(silent, "// takes nothing off its port\n");
    const files = many(20);
    const writer = startWriter(WRITE_BEHIND_MIN_FILES, { entry: silent, stallMs: 300 });
    const started = Date.now();
    for (const r of files) writer.write(r);
    writer.finish();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(files.map((r) => readFileSync(r.abs, "utf8"))).toEqual(files.map((_, i) => `new ${i}\n`));
  });

  it("should write on this thread, at finish, below the file count or without a worker entry", () => {
    for (const [count, entry] of [[WRITE_BEHIND_MIN_FILES - 1, WORKER], [WRITE_BEHIND_MIN_FILES, null]] as const) {
      const files = many(3);
      const writer = startWriter(count, { entry });
      for (const r of files) writer.write(r);
      expect(readFileSync(files[0].abs, "utf8")).toBe("old 0\n"); // nothing yet: a burst at the end
      writer.finish();
      expect(files.map((r) => readFileSync(r.abs, "utf8"))).toEqual(["new 0\n", "new 1\n", "new 2\n"]);
    }
  });

  it("should give the built CLI's -w run on a tree the texts instrumentText plans, and a clear failure", () => {
    const texts = Array.from({ length: WRITE_BEHIND_MIN_FILES + 2 }, (_, i) => `function f${i}(a) {\n  return a + ${i};\n}\nmodule.exports = f${i};\n`);
    texts.forEach((t, i) => writeFileSync(join(dir, `m${i}.js`), t));
    writeFileSync(join(dir, LONG), texts[0]);
    const res = spawnSync(process.execPath, [CLI, "-w", "."], { cwd: dir, encoding: "utf8", env: { ...process.env, FUNCTRACE: "off" } });
    expect(res.status).toBe(1);
    expect(res.stdout + res.stderr).toContain(`${LONG}: cannot write:`);
    for (let i = 0; i < texts.length; i++) {
      const planned = instrumentText(texts[i], { fileName: `m${i}.js`, displayPath: `m${i}.js` }).text;
      expect(readFileSync(join(dir, `m${i}.js`), "utf8")).toBe(planned);
    }
    expect(readFileSync(join(dir, LONG), "utf8")).toBe(texts[0]);
    expect(leftovers()).toEqual([]);
    const back = spawnSync(process.execPath, [CLI, "--remove", "-w", "."], { cwd: dir, encoding: "utf8" });
    expect(back.status).toBe(0);
    texts.forEach((t, i) => expect(readFileSync(join(dir, `m${i}.js`), "utf8")).toBe(t));
    expect(existsSync(join(dir, LONG))).toBe(true);
  });
});
