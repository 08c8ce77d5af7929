import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dispatcher, type WatchReload } from "../../../src/mixer/index";

test("watch mode: a logSink that throws never becomes an unhandled rejection", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mixer-watch-sink-"));
  const rejections: unknown[] = [];
  const onRejection = (e: unknown): void => void rejections.push(e);
  process.on("unhandledRejection", onRejection);
  const rule = (match: string): string => `kind: rule\nmetadata: {name: r}\nspec:\n  match: ${match}\n  actions: [{handler: h, instances: [m]}]\n`;
  const base = "kind: handler\nmetadata: {name: h}\nspec: {compiledAdapter: noop}\n---\nkind: instance\nmetadata: {name: m}\nspec: {compiledTemplate: reportnothing}\n---\n";
  writeFileSync(join(dir, "c.yaml"), base + rule("span.error"));
  const reloads: WatchReload[] = [];
  let sinkCalls = 0;
  const d = new Dispatcher({
    logSink: () => {
      sinkCalls++;
      throw new Error("sink is broken");
    },
    watch: { debounceMs: 30, onReload: (r) => void reloads.push(r) },
  });
  try {
    await d.loadFiles(dir);
    writeFileSync(join(dir, "c.yaml"), base + rule("span.nope")); // refused: logs errors through the sink
    for (let i = 0; i < 100 && !reloads.some((r) => !r.applied); i++) await new Promise((r) => setTimeout(r, 30));
    writeFileSync(join(dir, "c.yaml"), base + rule("span.error == false")); // applied: logs info through the sink
    for (let i = 0; i < 100 && !reloads.some((r) => r.applied); i++) await new Promise((r) => setTimeout(r, 30));
    await new Promise((r) => setTimeout(r, 50));
    expect(reloads.some((r) => !r.applied && r.errors.some((e) => e.message.includes("unknown attribute span.nope")))).toBe(true);
    expect(reloads.some((r) => r.applied)).toBe(true);
    expect(sinkCalls).toBeGreaterThan(0);
    expect(rejections).toEqual([]);
  } finally {
    process.off("unhandledRejection", onRejection);
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
