/**
 * The dashboard in a real browser, for the browser tests, the benchmark and the screenshot script:
 * the real API on loopback (PGlite control plane, dry-run engine: deployments end `simulated`)
 * and Debian's chromium driven by playwright-core.
 *
 * The browser is `MODELPLANE_CHROMIUM` or /usr/bin/chromium. Where it is missing, the tests skip
 * with a message, unless `MODELPLANE_REQUIRE_BROWSER=1` (set by .ci/run), which makes it a failure.
 */
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { dryRunApi, makeKey, type Fixture, type RunningApi } from "../../api/testing/harness";

/** How far ahead of the wall clock the API's clock runs, so the cost ledger has whole hours to show. */
export const API_CLOCK_AHEAD_MS = 26 * 3600_000;

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MODELPLANE_CHROMIUM ?? "/usr/bin/chromium";
}

/**
 * Whether the browser tests can run: `{ ok: true }`, or why not. A missing browser is an error
 * (thrown) when MODELPLANE_REQUIRE_BROWSER=1.
 */
export function browserAvailable(env: NodeJS.ProcessEnv = process.env): { ok: true } | { ok: false; why: string } {
  const path = chromiumPath(env);
  if (existsSync(path)) return { ok: true };
  const why = `no browser at ${path}: install Debian's chromium (apt-get install -y chromium) or set MODELPLANE_CHROMIUM`;
  if (env.MODELPLANE_REQUIRE_BROWSER === "1") throw new Error(`MODELPLANE_REQUIRE_BROWSER=1 and ${why}`);
  return { ok: false, why };
}

export interface DashboardRig {
  fx: Fixture;
  api: RunningApi;
  browser: Browser;
  /** A deployer key of tenant ml-team. */
  key: string;
  close(): Promise<void>;
}

export async function startRig(): Promise<DashboardRig> {
  const { fx, api, close } = await dryRunApi({ clock: () => new Date(Date.now() + API_CLOCK_AHEAD_MS) });
  const key = (await makeKey(api.base, fx.adminKey, "ml-team", "deployer")).secret;
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    // Root in a container has no user namespace for chromium's sandbox.
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
  return {
    fx,
    api,
    browser,
    key,
    async close() {
      await browser.close();
      await close();
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function openPage(rig: DashboardRig): Promise<OpenedPage> {
  const context = await rig.browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of (400|401|404|409)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return { page, problems, close: () => context.close() };
}

/** Sign in through the form with `key` and wait for the deployments page. */
export async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Deployments", level: 1 }).waitFor();
}

/**
 * First meaningful render, ms from navigation start, as the browser's own clock records it: the
 * dashboard marks `modelplane:render` when the first page's content is on screen (app.js).
 * Signed in (key already in sessionStorage), this is the deployments table.
 */
export async function firstRenderMs(page: Page, base: string): Promise<number> {
  // A new document each time (the query string), not a same-document hash change.
  await page.goto(`${base}/?load=${Date.now()}#/deployments`);
  await page.getByRole("heading", { name: "Deployments", level: 1 }).waitFor();
  const handle = await page.waitForFunction(() => {
    const m = performance.getEntriesByName("modelplane:render")[0];
    return m ? m.startTime : undefined;
  });
  return Number(await handle.jsonValue());
}
