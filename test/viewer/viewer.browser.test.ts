import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNode } from "../helpers/run-node";
import { cli } from "../cli/helpers";
import { HAVE_CHROMIUM, loadViewer, openBrowser, type Browser } from "./browser";

// The page generated from a real run of the async demo, in a real Chromium: a flow, a span, the chains view.
const describeBrowser = HAVE_CHROMIUM ? describe : describe.skip;
if (!HAVE_CHROMIUM) console.warn("test/viewer: no Chromium at /usr/bin/chromium (apt-get install -y chromium): browser tests skipped");

describeBrowser("functrace view, in Chromium, on a real run of the async demo", () => {
  const dir = mkdtempSync(join(tmpdir(), "functrace-viewer-"));
  const chromeFile = join(dir, "async-demo.trace.json");
  const html = join(dir, "async-demo.html");
  const shots = join(dir, "screenshots");
  let browser: Browser;
  jest.setTimeout(120_000);

  beforeAll(async () => {
    const run = runNode(["examples/async-demo.mjs", "20"], { FUNCTRACE_EXPORTER: "chrome", FUNCTRACE_CHROME_FILE: chromeFile });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("async demo: 20 chains done");
    const r = await cli(["view", chromeFile, "-o", html]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^functrace view: \d+ spans, \d+ flows -> .*async-demo\.html \(\d+ KiB, \d+ ms\)\n$/);
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("is one self-contained file: no external script, style or URL", () => {
    const text = readFileSync(html, "utf8");
    expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
    expect(statSync(html).size).toBeLessThan(200_000);
  });

  it("loads, lists the trace and its flows, draws the flame chart", async () => {
    const { page } = browser;
    const t = await loadViewer(page, html);
    expect(t.loadMs).toBeLessThan(5000);
    await expect(page.locator("#status").textContent()).resolves.toMatch(/^\d+ spans · \d+ flows · 1 trace · decoded in \d+ ms$/);
    await expect(page.locator("#list .row.group").first().textContent()).resolves.toMatch(/^demo\.main\d+ flows, \d+ spans$/);
    expect(await page.locator("#list .row.flow").count()).toBeGreaterThan(10);
    expect(await page.evaluate(() => (globalThis as any).__viewer.drawn)).toBeGreaterThan(50);
    expect(await page.evaluate(() => (globalThis as any).__viewer.arrows)).toBeGreaterThan(5);
    await page.screenshot({ path: join(shots, "1-loaded.png") });
    expect(browser.errors).toEqual([]);
  });

  it("a click on a flow selects it, and shows where it came from", async () => {
    const { page } = browser;
    const row = page.locator("#list .row.flow", { hasText: "g[03]" }).first();
    await expect(row.textContent()).resolves.toMatch(/^g\[03\]\d+ spans <~ g\[01\] demo\.main$/);
    await row.click();
    await expect(page.locator("#list .row.flow.selected").textContent()).resolves.toMatch(/^g\[03\]/);
    expect(await page.evaluate(() => (globalThis as any).__viewer.state.flow)).toBeGreaterThanOrEqual(0);
    await page.screenshot({ path: join(shots, "2-flow.png") });
  });

  it("a click on a span shows its duration, file and line, and its causal chain to the root across flows", async () => {
    const { page } = browser;
    // Zoom onto the readStream call of flow g[03] so it is wide enough to click, then click it on the canvas.
    const box = await page.evaluate(() => {
      const v = (globalThis as any).__viewer;
      const k = v.find("demo.readStream").find((s: number) => v.flowLabel(s) === "g[03]");
      v.selectFlow(v.state.flow);
      const fk = v.spanBox(k);
      return { k, fk };
    });
    expect(box.fk).not.toBeNull();
    await page.evaluate((k) => {
      const v = (globalThis as any).__viewer;
      v.zoomTo(k, 4);
    }, box.k);
    const at = await page.evaluate((k) => (globalThis as any).__viewer.spanBox(k), box.k);
    expect(at.visible).toBe(true);
    await page.mouse.click(at.x, at.y);
    await expect(page.locator("#details h2").textContent()).resolves.toBe("demo.readStream");
    expect(await page.evaluate(() => (globalThis as any).__viewer.state.span)).toBe(box.k);
    const terms = await page.locator("#details dt").allTextContents();
    const values = await page.locator("#details dd").allTextContents();
    const info = Object.fromEntries(terms.map((t, i) => [t, values[i]]));
    expect(info.duration).toMatch(/^\d+\.\d+(µs|ms)$/);
    expect(info.flow).toBe("g[03], depth 3, async");
    expect(info.file).toMatch(/examples\/async-demo\.mjs:\d+$/);
    const chain = await page.locator("#details ol.chain li .name").allTextContents();
    expect(chain).toEqual(["demo.main", "demo.handleRequest", "demo.readStream"]);
    // demo.main runs in g[01]: the chain crosses from g[01] into g[03]
    const hops = await page.locator("#details ol.chain li .meta").allTextContents();
    expect(hops[0]).toMatch(/^g\[01\] · /);
    expect(hops[1]).toMatch(/^g\[03\] · /);
    await page.screenshot({ path: join(shots, "3-span.png") });
    // A click on a chain entry goes to that call.
    await page.locator("#details ol.chain li", { hasText: "demo.handleRequest" }).click();
    await expect(page.locator("#details h2").textContent()).resolves.toBe("demo.handleRequest");
    expect(browser.errors).toEqual([]);
  });

  it("the chains view: from a span's button and from the search box", async () => {
    const { page } = browser;
    await page.locator("#show-chains").click();
    await expect(page.locator("#chains h2").textContent()).resolves.toBe("demo.handleRequest: 20 calls in 1 chain");
    await expect(page.locator("#chains tr.chain-row td.chain-text").allTextContents()).resolves.toEqual(["demo.main → demo.handleRequest"]);
    await page.locator("#search").fill("readst");
    await expect(page.locator("#results li").first().textContent()).resolves.toBe("demo.readStream 20 calls");
    await page.keyboard.press("Enter");
    await expect(page.locator("#chains h2").textContent()).resolves.toBe("demo.readStream: 20 calls in 1 chain");
    const cells = await page.locator("#chains tr.chain-row td").allTextContents();
    expect(cells[0]).toBe("20");
    expect(cells[1]).toBe("0");
    expect(cells[5]).toBe("demo.main → demo.handleRequest → demo.readStream");
    await page.screenshot({ path: join(shots, "4-chains.png") });
    // A row of the table opens its example call.
    await page.locator("#chains tr.chain-row").first().click();
    await expect(page.locator("#details h2").textContent()).resolves.toBe("demo.readStream");
    await page.locator("#only-threw").check();
    await expect(page.locator("#chains h2").textContent()).resolves.toBe("demo.readStream: 0 calls in 0 chains");
    expect(browser.errors).toEqual([]);
  });
});

describeBrowser("functrace view, in Chromium, on hand-made recordings", () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "functrace-viewer-"));
  jest.setTimeout(60_000);
  beforeAll(async () => {
    browser = await openBrowser({ width: 1200, height: 700 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows a call's exception; a tree without timestamps lays out by line", async () => {
    const tree = join(dir, "t.txt");
    writeFileSync(
      tree,
      ["g[01]:    ->main.main", "g[01]:        ->main.load", "g[01]:        <-main.load 1.500ms !TypeError: item 13 is unlucky", "g[01]:    <-main.main", "g[02]:    ->main.later <~ g[01] main.main", "g[02]:    <-main.later"].join("\n") + "\n",
    );
    const out = join(dir, "t.html");
    expect((await cli(["view", tree, "-o", out])).code).toBe(0);
    await loadViewer(browser.page, out);
    const { page } = browser;
    await expect(page.locator("#status").textContent()).resolves.toContain("times are line numbers");
    await page.evaluate(() => {
      const v = (globalThis as any).__viewer;
      v.selectSpan(v.find("main.load")[0]);
    });
    await expect(page.locator("#details dd.error").textContent()).resolves.toBe("TypeError: item 13 is unlucky");
    await expect(page.locator("#details dd").first().textContent()).resolves.toBe("1.500ms");
    await page.evaluate(() => {
      const v = (globalThis as any).__viewer;
      v.selectSpan(v.find("main.later")[0]);
    });
    await expect(page.locator("#details ol.chain li .name").allTextContents()).resolves.toEqual(["main.main", "main.later"]);
    expect(browser.errors).toEqual([]);
  });
});
