// Shared by the browser tests: Debian's Chromium (never a downloaded browser), a fresh profile per
// test, the console built when stale, and each page's screenshot and accessibility check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { PACKAGE_ROOT } from '../../src/console/console-files.js';

export const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.PARLEY_TEST_BROWSER_REQUIRED === '1';

/** `false` when Chromium is installed, else the reason to skip (a failure with PARLEY_TEST_BROWSER_REQUIRED=1). */
export const skipBrowser: false | string = existsSync(CHROMIUM)
  ? false
  : `browser test skipped: ${CHROMIUM} is missing (install Debian's chromium package; PARLEY_TEST_BROWSER_REQUIRED=1 makes this a failure)`;
if (skipBrowser && REQUIRED) throw new Error(`PARLEY_TEST_BROWSER_REQUIRED=1 but ${CHROMIUM} is missing.`);

/** Screenshots of each page, kept outside git for CI to publish. */
export const SCREENSHOTS = path.join(PACKAGE_ROOT, 'test-artifacts', 'screenshots');

/** Builds the console when a file under console/ changed (a no-op otherwise): the server sends the built one. */
export function buildConsole(): void {
  if (!skipBrowser) execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts', 'build-if-stale.mjs'), '--console'], { stdio: 'inherit' });
}

export type BrowserOptions = { viewport?: { width: number; height: number }; phone?: boolean };

/**
 * Runs `body` with a fresh browser profile. Close the browser inside the test, before the fixture closes
 * the server: an open keep-alive connection would otherwise hold the server's close for its timeout.
 */
export async function withBrowser(body: (browser: BrowserContext) => Promise<void>, options: BrowserOptions = {}): Promise<void> {
  const profile = mkdtempSync(path.join(tmpdir(), 'parley-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: options.viewport ?? (options.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 }),
    ...(options.phone ? { isMobile: true, hasTouch: true } : {}),
  });
  try {
    await body(browser);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A screenshot of the page (named `console-<name>-<dialect>.png`) and no serious or critical accessibility violation. */
export async function checkPage(page: Page, name: string, dialect: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}-${dialect}.png`), fullPage: true });
  const { violations } = await new AxeBuilder({ page }).analyze();
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(grave, [], `accessibility of the ${name} page`);
}

/** Signs in on the console's sign-in form at `base + at` and waits for the console's navigation. */
export async function signIn(page: Page, base: string, user: { email: string; password: string }, at = '/console/'): Promise<void> {
  await page.goto(base + at);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}
