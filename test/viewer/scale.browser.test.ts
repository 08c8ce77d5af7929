import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNode } from "../helpers/run-node";
import { cli } from "../cli/helpers";
import { HAVE_CHROMIUM, loadViewer, openBrowser } from "./browser";

// Size and load time of the viewer on real runs of the async demo (about 9 spans per chain).
// 10k spans always; FUNCTRACE_VIEWER_SCALE=1 adds 100k and 1M (the 1M run takes ~35 s and 1.4 GB).
const sizes: [string, number][] = [["10k", 1_100]];
if (process.env.FUNCTRACE_VIEWER_SCALE === "1") sizes.push(["100k", 11_000], ["1M", 111_112]);

(HAVE_CHROMIUM ? describe : describe.skip)("viewer scale", () => {
  jest.setTimeout(600_000);
  it.each(sizes)("%s spans: a reasonable file, loaded and painted quickly", async (label, chains) => {
    const dir = mkdtempSync(join(tmpdir(), "functrace-scale-"));
    const trace = join(dir, "t.json");
    const html = join(dir, "t.html");
    expect(runNode(["examples/async-demo.mjs", String(chains)], { FUNCTRACE_EXPORTER: "chrome", FUNCTRACE_CHROME_FILE: trace }, 300_000).status).toBe(0);
    const t0 = performance.now();
    expect((await cli(["view", trace, "-o", html])).code).toBe(0);
    const generateMs = performance.now() - t0;
    const browser = await openBrowser();
    try {
      const load = await loadViewer(browser.page, html, 120_000);
      const paintMs = await browser.page.evaluate(() => {
        const v = (globalThis as any).__viewer;
        const t = performance.now();
        v.paint();
        return performance.now() - t;
      });
      const bytes = statSync(html).size;
      const spans = Number((await browser.page.locator("#status").textContent())!.split(" ")[0]);
      console.log(
        `viewer ${label}: ${spans} spans, trace ${(statSync(trace).size / 1048576).toFixed(1)} MiB -> html ${(bytes / 1048576).toFixed(2)} MiB (${(bytes / spans).toFixed(1)} B/span); ` +
          `generate ${Math.round(generateMs)} ms; page load ${load.wallMs} ms (decode ${Math.round(load.decodeMs)} ms, ready ${Math.round(load.loadMs)} ms); paint ${paintMs.toFixed(1)} ms`,
      );
      expect(bytes / spans).toBeLessThan(40);
      expect(load.loadMs).toBeLessThan(spans > 500_000 ? 10_000 : 3_000);
      expect(paintMs).toBeLessThan(100);
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
