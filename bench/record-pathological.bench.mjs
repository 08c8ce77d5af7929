// The pathological parse of issue 14: the `marked` bundle, instrumented by the codemod, parsing
// a Markdown document that makes it backtrack, with the binary recording on
// (`configure({ record: { file } })`), against the uninstrumented bundle in the same process,
// interleaved. Goal: within 1.5x of the uninstrumented time.
//   npm run build && node --expose-gc bench/record-pathological.bench.mjs [--doc stars|links|quotes] [--size n] [--reps n] [--breakdown]
import { existsSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { arg, compare, pairedRatio } from "./lib/harness.mjs";
import { cleanup, prepare } from "./lib/prepare.mjs";
import { loadFunctrace } from "./lib/modes.mjs";

const GOAL = 1.5;

/**
 * Documents that make marked backtrack (its inline tokenizer retries the emphasis and link
 * rules from every delimiter: quadratic), sized to take 0.3-0.5 s uninstrumented.
 */
const DOCS = {
  stars: { size: 5000, make: (n) => "*a".repeat(n) + "\n", title: (n) => `${n} unclosed "*a" emphasis openers on one line` },
  links: { size: 12000, make: (n) => "[a](".repeat(n) + "\n", title: (n) => `${n} unclosed "[a](" links on one line` },
  quotes: { size: 800, make: (n) => (">".repeat(n) + " a\n").repeat(20), title: (n) => `20 blockquotes nested ${n} deep` },
};

const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
if (!existsSync(join(root, "dist/cjs/index.js"))) {
  process.stderr.write("record-pathological: build first (npm run build)\n");
  process.exit(1);
}

const which = arg("doc", "stars");
const kind = DOCS[which];
if (kind === undefined) throw new Error(`--doc: one of ${Object.keys(DOCS).join(", ")}`);
const size = Number(arg("size", String(kind.size)));
const doc = { text: kind.make(size), title: kind.title(size) };

const manifest = prepare(root);
try {
  const dir = manifest.dir;
  const ft = loadFunctrace(dir);
  const file = join(dir, `pathological-${process.pid}.ftrec`);
  const orig = await import(pathToFileURL(join(dir, "orig/marked.mjs")).href);
  const inst = await import(pathToFileURL(join(dir, "inst/marked.mjs")).href);
  const parse = (m) => () => m.parse(doc.text).length;
  ft.configure({ record: { file } });
  const recorder = ft.getSinks().find((s) => s instanceof ft.RecordWriter);
  const bytesBefore = recorder.bytesWritten;
  inst.parse(doc.text);
  await ft.flush();
  const perParse = { calls: (recorder.bytesWritten - bytesBefore) / 64, bytes: recorder.bytesWritten - bytesBefore };
  truncateSync(file, 0);
  // one parse per sample (0.3-0.5 s uninstrumented): fixedN, no calibration. --breakdown adds
  // the instrumented copy with no sink (the engine off) and with the in-memory RingRecorder,
  // the recorder being taken off the sinks around those samples
  const variants = [
    { key: "uninstrumented", fn: parse(orig), fixedN: 1 },
    { key: "recording", fn: parse(inst), fixedN: 1, after: () => ft.flush().then(() => truncateSync(file, 0)) },
  ];
  if (process.argv.includes("--breakdown")) {
    const ring = new ft.RingRecorder();
    variants.push(
      { key: "instrumented, no sink", fn: parse(inst), fixedN: 1, before: () => ft.removeSink(recorder), after: () => ft.addSink(recorder) },
      {
        key: "instrumented, RingRecorder",
        fn: parse(inst),
        fixedN: 1,
        before: () => (ft.removeSink(recorder), ft.addSink(ring)),
        after: () => (ft.removeSink(ring), ft.addSink(recorder)),
      },
    );
  }
  const res = await compare(variants, { reps: Number(arg("reps", "9")) });
  const ratio = pairedRatio(res.recording, res.uninstrumented);
  const ms = (x) => `${(x / 1e6).toFixed(0)} ms`;
  const stats = recorder.writeStats ?? { asyncWrites: "?", syncCatchUps: "?" }; // older writers: no stats
  process.stdout.write(
    [
      `pathological parse (${doc.title}), Node ${process.version}`,
      `  uninstrumented            ${ms(res.uninstrumented.median)} (min ${ms(res.uninstrumented.min)})`,
      `  instrumented + recording  ${ms(res.recording.median)} (min ${ms(res.recording.min)}); ~${Math.round(perParse.calls / 1000)}k calls, ${(perParse.bytes / 2 ** 20).toFixed(1)} MiB recorded per parse`,
      `  ratio (paired, interleaved): ${ratio.toFixed(2)}x — goal <= ${GOAL}x: ${ratio <= GOAL ? "met" : "MISSED"}`,
      ...variants.slice(2).map((v) => `  ${v.key}: ${pairedRatio(res[v.key], res.uninstrumented).toFixed(2)}x`),
      `  writes: ${stats.asyncWrites} by the writer thread, ${stats.syncCatchUps} synchronous catch-ups`,
      "",
    ].join("\n"),
  );
  ft.configure({ record: false });
} finally {
  cleanup(manifest.dir);
}
