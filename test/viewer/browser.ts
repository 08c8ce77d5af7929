import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`); FUNCTRACE_CHROMIUM overrides. */
export const CHROMIUM = process.env.FUNCTRACE_CHROMIUM ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** A headless Chromium with a fresh user-data-dir, one page, console errors collected. */
export async function openBrowser(viewport = { width: 1400, height: 820 }): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "functrace-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  // Self-contained: any request that is not the file itself, or an inline data/blob URL, is a bug.
  page.on("request", (r) => {
    if (!/^(file|data|blob):/.test(r.url())) errors.push(`network request: ${r.url()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Opens a viewer file and waits until it has decoded its spans; returns the page's own load time. */
export async function loadViewer(page: Page, file: string, timeout = 60_000): Promise<{ wallMs: number; loadMs: number; decodeMs: number }> {
  const t0 = Date.now();
  let onError: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (onError = (e) => reject(new Error(`the viewer page failed: ${e.message}`))));
  page.on("pageerror", onError);
  try {
    await page.goto("file://" + file);
    await Promise.race([failed, page.waitForFunction(() => (globalThis as any).__viewer?.ready === true, null, { timeout })]);
  } finally {
    page.off("pageerror", onError);
  }
  const r = await page.evaluate(() => ({ loadMs: (globalThis as any).__viewer.loadMs as number, decodeMs: (globalThis as any).__viewer.decodeMs as number }));
  return { wallMs: Date.now() - t0, ...r };
}
