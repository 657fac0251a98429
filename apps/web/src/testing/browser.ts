import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (no browser is ever downloaded), each context
 * in a fresh profile directory that is removed afterwards.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export interface LaunchOptions {
  javaScriptEnabled: boolean;
  viewport?: { width: number; height: number };
  /**
   * The browser's default font size in px (16 when not set): the setting a person changes in
   * Chromium under Settings → Appearance → Font size, kept in the profile's preferences.
   */
  defaultFontSize?: number;
}

export async function launchBrowser(options: LaunchOptions): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'web-e2e-chromium-'));
  if (options.defaultFontSize !== undefined) {
    mkdirSync(join(profile, 'Default'));
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ webkit: { webprefs: { default_font_size: options.defaultFontSize } } }));
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    javaScriptEnabled: options.javaScriptEnabled,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** axe-core on the page as it is now (WCAG 2.x A and AA, and best practices): its findings and how many rules passed. */
export async function axeScan(page: Page): Promise<{ findings: AxeFinding[]; passed: number }> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const findings = results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
  return { findings, passed: results.passes.length };
}

/** Where WEB_SCREENSHOTS=1 writes the pages' screenshots for the docs: docs/screenshots of the checkout. */
const SCREENSHOTS_DIR = join(__dirname, '..', '..', '..', '..', 'docs', 'screenshots');

/** Whether this run writes screenshots (WEB_SCREENSHOTS=1; never in CI's ordinary runs). */
export const writesScreenshots = Boolean(process.env['WEB_SCREENSHOTS']);

/** Opens each `[name, url]` in `page` at its current size and writes the whole page to `docs/screenshots/<name>.png`. */
export async function screenshotPages(page: Page, shots: readonly (readonly [name: string, url: string])[]): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  for (const [name, url] of shots) {
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
  }
}
