import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSnapshot, createDispatcher, loadConfigFiles, parseConfigText, sourceFromObjects } from "../../../src/mixer/index.js";
import { validateCommand } from "../../../src/mixer/cli/commands.js";
import { MAX_YAML_ALIASES } from "../../../src/mixer/config/source.js";

/** Nine levels of ten aliases each: 10⁹ nodes when expanded. */
function aliasBomb(): string {
  let y = "kind: rule\nmetadata: {name: bomb}\nspec:\n  match: 'true'\n  sampling:\n";
  y += '    l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]\n';
  for (let i = 1; i < 9; i++) y += `    l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(",")}]\n`;
  return y;
}

const MANIFEST = "kind: attributemanifest\nmetadata: {name: m}\nspec:\n  attributes: {my.attr: {valueType: STRING}}\n";

function files(): { dir: string; bomb: string; ok: string } {
  const dir = mkdtempSync(join(tmpdir(), "mixer-hostile-"));
  const bomb = join(dir, "a-bomb.yaml");
  const ok = join(dir, "b-ok.yaml");
  writeFileSync(bomb, aliasBomb());
  writeFileSync(ok, MANIFEST);
  return { dir, bomb, ok };
}

describe("YAML alias bomb", () => {
  test("one located error for that document; the other file still loads", () => {
    const { bomb, ok } = files();
    const t = performance.now();
    const src = loadConfigFiles([bomb, ok], "/");
    expect(performance.now() - t).toBeLessThan(2000);
    expect(src.errors.map(String)).toEqual([
      `${bomb.slice(1)}#1:1: YAML document expands more than ${MAX_YAML_ALIASES} aliases (Excessive alias count indicates a resource exhaustion attack); the document is ignored`,
    ]);
    expect(src.docs.map((d) => d.file)).toEqual([ok.slice(1)]);
    expect(buildSnapshot(src).finder.getAttribute("my.attr")).toBeDefined();
  });

  test("validate a.yaml b.yaml reports the bomb and still checks b", () => {
    const { dir, bomb, ok } = files();
    writeFileSync(ok, MANIFEST + "---\nkind: rule\nmetadata: {name: r}\nspec: {match: nope.attr == \"x\", actions: []}\n");
    const r = validateCommand([bomb, ok]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("a-bomb.yaml#1:1: YAML document expands more than 100 aliases");
    expect(r.stderr).toContain("b-ok.yaml#2:8 rule='r.rule.istio-system'.match: unknown attribute nope.attr");
    expect(r.stderr).toContain("2 problem(s) found");
    void dir;
  });

  test("createDispatcher loads the good file and reports the bad one", async () => {
    const { bomb, ok } = files();
    const d = await createDispatcher({ config: [bomb, ok] });
    try {
      expect(d.snapshot.errors).toHaveLength(1);
      expect(d.snapshot.errors[0]!.message).toContain("aliases");
      expect(d.snapshot.finder.getAttribute("my.attr")).toBeDefined();
    } finally {
      await d.close();
    }
  });

  test("a few aliases are fine", () => {
    const src = parseConfigText("kind: rule\nmetadata: {name: r}\nspec:\n  match: &m 'true'\n  actions: []\nx: *m\n", "a.yaml");
    expect(src.errors).toEqual([]);
  });

  test("YAML nested too deeply for the parser is a located error, not a crash", () => {
    const src = parseConfigText("a: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n", "deep.yaml");
    expect(src.docs.length + src.errors.length).toBeGreaterThan(0);
    for (const e of src.errors) expect(String(e)).toMatch(/^deep\.yaml/);
  });
});

describe("error messages echo at most a capped part of the input", () => {
  test("a 10 MB scalar does not make a 10 MB error line", () => {
    const big = "x".repeat(10 * 2 ** 20);
    const yaml = `kind: rule\nmetadata: {name: r}\nspec:\n  match: ${big}\n  actions: []\n---\nkind: ${big}\nmetadata: {name: ${big}}\n`;
    const snap = buildSnapshot(parseConfigText(yaml, "r.yaml"));
    const lines = snap.errors.map(String);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l.length).toBeLessThan(1000);
    expect(lines.find((l) => l.includes(".match:"))).toMatch(/^r\.yaml#1:4 rule='r\.rule\.istio-system'\.match: unable to parse expression 'x{200}…\(\+10485560 more characters\)': 1:65537: expression too long/);
  });

  test("long references, kinds and keys are capped too", () => {
    const long = "h".repeat(5000);
    const snap = buildSnapshot(
      sourceFromObjects([{ kind: "rule", metadata: { name: "r" }, spec: { actions: [{ handler: long, instances: [long] }], [long]: 1 } }]),
    );
    for (const e of snap.errors) expect(e.toString().length).toBeLessThan(1000);
    expect(snap.errors.map((e) => e.message)).toContain(`Handler not found: handler='${"h".repeat(200)}…(+4800 more characters)'`);
  });
});
