// Runs one browser scenario in the system's Chromium (never a downloaded one)
// and prints ONE JSON line on stdout:
//
//   node tests/browser/run.mjs tests/browser/scenarios/NAME.mjs '{"url": "..."}'
//
//   {"ok":true, "observations":{...}, "pages":[...], "navigations":[...]}
//   {"ok":false, "error":"...", "pages":[...], "navigations":[...]}   (exit 1)
//
// A scenario exports `default async function ({ page, context, browser, args,
// assert, helpers })` and returns what the test should look at.
//
// Arguments the driver itself reads (all optional):
//   locale      e.g. "sv-SE": navigator.language and the Accept-Language header
//   acceptLanguage  an exact Accept-Language header instead
//   userAgent   the browser's User-Agent (e.g. an Android phone's)
//   aliases     {"https://zlack.test": "http://127.0.0.1:PORT"}: the browser
//               reaches that public URL (TLS included) at the local server;
//               see aliases.mjs
//   screenshot  a path: the last page is saved there (also on failure)
//   audit       false to skip the page checks in audit.mjs
//
// Every document the page loads is audited (audit.mjs); any problem, or any
// request leaving loopback, fails the run.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startAliases } from './aliases.mjs';
import { auditDocument } from './audit.mjs';

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]', '::1'];

async function main() {
  const [scenarioPath, rawArgs = '{}'] = process.argv.slice(2);
  if (!scenarioPath) throw new Error('usage: node run.mjs <scenario.mjs> [json-args]');
  const args = JSON.parse(rawArgs);
  const scenario = (await import(pathToFileURL(path.resolve(scenarioPath)).href)).default;

  const aliases = await startAliases(args.aliases);
  const allowedHosts = [...LOOPBACK, ...aliases.hosts];
  const pages = []; // one entry per loaded document, with its audit
  const navigations = []; // every main-frame response, redirects included
  const offsite = []; // requests that tried to leave loopback
  const report = { observations: null, pages, navigations };

  const browser = await chromium.launch({
    executablePath: process.env.ZLACK_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', ...aliases.hostRules],
  });
  let page;
  try {
    const context = await browser.newContext({
      locale: args.locale,
      userAgent: args.userAgent,
      ignoreHTTPSErrors: aliases.https,
      extraHTTPHeaders: args.acceptLanguage ? { 'Accept-Language': args.acceptLanguage } : undefined,
    });
    const leavesLoopback = (url) => {
      const { protocol, hostname } = new URL(url);
      return /^(https?|wss?):$/.test(protocol) && !allowedHosts.includes(hostname);
    };
    context.on('request', (request) => leavesLoopback(request.url()) && offsite.push(request.url()));
    await context.route('**/*', (route) =>
      leavesLoopback(route.request().url()) ? route.abort('blockedbyclient') : route.continue());
    await context.exposeBinding('__zlackAudit', ({ frame }, result) => {
      const status = navigations.findLast((n) => n.url === frame.url())?.status ?? null;
      pages.push({ url: frame.url(), status, ...result });
    });
    await context.addInitScript(`if (window === window.top && location.protocol !== 'chrome-error:') {
      const audit = ${auditDocument.toString()};
      document.addEventListener('DOMContentLoaded', () => window.__zlackAudit(audit(${JSON.stringify(allowedHosts)})));
    }`);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('response', (response) => {
      const request = response.request();
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        navigations.push({ url: response.url(), status: response.status() });
      }
    });
    page.on('requestfailed', (request) => {
      // Links to apps (zoomphonecall:, tel:) end here too: not a failure.
      const web = /^https?:/.test(request.url());
      if (web && request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        navigations.push({ url: request.url(), failure: request.failure()?.errorText });
      }
    });

    report.observations = (await scenario({ page, context, browser, args, assert, helpers: helpers(page) })) ?? null;

    await page.evaluate(() => 0); // lets the last audit report arrive
    if (args.screenshot) await page.screenshot({ path: args.screenshot, fullPage: true });
    const problems = pages.flatMap((p) => p.problems.map((why) => `${p.url}: ${why}`));
    problems.push(...offsite.map((url) => `request left loopback: ${url}`));
    problems.push(...navigations.filter((n) => n.failure).map((n) => `${n.url}: ${n.failure}`));
    if (args.audit !== false && problems.length > 0) {
      throw new Error(`page checks failed:\n  ${problems.join('\n  ')}`);
    }
    return { ok: true, ...report };
  } catch (error) {
    if (page && args.screenshot) await page.screenshot({ path: args.screenshot, fullPage: true }).catch(() => {});
    return { ok: false, error: error.stack || String(error), url: page?.url(), ...report };
  } finally {
    await browser.close();
    await aliases.close();
  }
}

/** Small conveniences scenarios share. */
function helpers(page) {
  return {
    /** What a test usually wants to know about the current page. */
    async snapshot() {
      return page.evaluate(() => ({
        url: location.href,
        lang: document.documentElement.lang,
        title: document.title,
        h1s: [...document.querySelectorAll('h1')].map((h) => h.innerText),
        text: document.body.innerText,
        links: [...document.querySelectorAll('a[href]')].map((a) => ({ text: a.innerText, href: a.href })),
      }));
    },
    /** Clicks `locator` and waits until the navigation it starts (with all its redirects) has loaded. */
    async follow(locator) {
      const loaded = page.waitForEvent('load');
      await locator.click();
      await loaded;
    },
  };
}

const result = await main().catch((error) => ({ ok: false, error: error.stack || String(error) }));
// Exits once the line is written, whatever handles a failure left open.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(result.ok ? 0 : 1));
