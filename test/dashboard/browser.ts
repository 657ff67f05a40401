import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

/** Debian's chromium unless KINDRED_CHROMIUM names another; playwright-core never downloads a browser. */
export function chromiumPath(): string {
  return process.env.KINDRED_CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * For browser tests: the chromium executable, or undefined with a printed reason so the caller can skip. With
 * CI=true a missing browser throws: CI installs it (.ci/run) and must never skip these tests silently.
 */
export function testChromium(): string | undefined {
  const path = chromiumPath();
  if (existsSync(path)) return path;
  const msg = `chromium not found at ${path} (set KINDRED_CHROMIUM or apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI requires it`);
  console.warn(`skipping: ${msg}`);
  return undefined;
}

/** Headless chromium; root (CI containers) cannot use chromium's sandbox. */
export function launchChromium(executablePath: string): Promise<Browser> {
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({ executablePath, headless: true, args: asRoot ? ['--no-sandbox'] : [] });
}

/**
 * Builds the dashboard from web/ into a fresh temporary folder (so the test checks the sources, not a stale
 * dist/web) and returns the folder.
 */
export async function buildDashboard(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'kindred-web-'));
  await build({ configFile: resolve('web/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** Where screenshots go (gitignored): test-artifacts/dashboard/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = resolve('test-artifacts', 'dashboard');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
