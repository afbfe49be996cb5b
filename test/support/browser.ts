/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's chromium package (`apt-get install chromium`), or APEX_CHROMIUM. */
export const CHROMIUM = process.env.APEX_CHROMIUM ?? '/usr/bin/chromium';

/** Why pages cannot be opened in a browser here, or undefined. In CI a missing browser is a failure, never a skip. */
export function missingChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set APEX_CHROMIUM)`;
  if (process.env.CI) throw new Error(`CI must not skip browser tests: ${reason}`);
  console.warn(`skipping browser tests: ${reason}`);
  return reason;
}

/** What a person opening the page would have seen go wrong, and what the page asked for beyond its own file. */
export interface OpenedPage {
  consoleErrors: string[];
  /** Every request other than the file itself: a self-contained page makes none. */
  requests: string[];
  /** Per chart (svg[role=img]): its label and how many data marks it drew. */
  charts: { label: string; marks: number }[];
  /** Rows of the per-store verification tables. */
  verificationRows: number;
  text: string;
}

export const launchChromium = (): Promise<Browser> =>
  puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });

/** Opens a local HTML file as a person would, collects what went wrong, and keeps a full-page PNG screenshot. */
export async function openPage(browser: Browser, file: string, screenshot: string): Promise<OpenedPage> {
  const page = await browser.newPage();
  const url = pathToFileURL(file).href;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(url, { waitUntil: 'load' });
  const seen = await page.evaluate(() => ({
    charts: [...document.querySelectorAll('svg[role="img"]')].map((svg) => ({
      label: svg.getAttribute('aria-label') ?? '',
      marks: svg.querySelectorAll('.mark').length,
    })),
    verificationRows: document.querySelectorAll('table.verification tr.pass, table.verification tr.fail').length,
    text: document.body.innerText,
  }));
  await page.screenshot({ path: screenshot as `${string}.png`, fullPage: true });
  await page.close();
  return { consoleErrors, requests, ...seen };
}
