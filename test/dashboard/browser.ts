import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
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

/** Newest modification time of the files under `dir` (recursively). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The built dashboard to test: dist/web when it is newer than every file under web/ (as after `npm run build`, which
 * `npm test` runs first), else a fresh build of web/ into a temporary folder, so a test never checks stale files.
 */
export async function dashboardBuild(): Promise<string> {
  const dist = resolve('dist', 'web');
  const index = join(dist, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(resolve('web'))) return dist;
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
