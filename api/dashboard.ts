/**
 * The web dashboard's static files, served at `/` by the API (issue 16 item 3). One handler, no
 * file system lookups per request: at startup the `dashboard/` folder is read into a fixed table
 * of URL path → bytes and content type, so a request for anything else (`..`, encoded slashes,
 * absolute paths, other extensions) is simply not in the table and falls through to the API's
 * 404. Chart.js is vendored from node_modules (the exact version in package.json), never a CDN.
 *
 * Every answer carries a Content-Security-Policy that allows scripts, styles and fetches from this
 * origin only (no inline script, no eval), plus nosniff and no-referrer.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import type { NextFunction, Request, RequestHandler, Response } from "express";

/** Where the dashboard's sources live (repo root `dashboard/`). */
export const DASHBOARD_DIR = join(__dirname, "..", "dashboard");

/** URL prefix of every dashboard file except the page itself at `/`. */
export const DASHBOARD_PREFIX = "/dashboard/";

/** The vendored Chart.js UMD build, as the page loads it. */
export const CHART_JS_PATH = `${DASHBOARD_PREFIX}vendor/chart.umd.min.js`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export interface StaticFile {
  contentType: string;
  body: Buffer;
  gzip: Buffer;
}

function entry(file: string): StaticFile | undefined {
  const contentType = CONTENT_TYPES[extname(file)];
  if (!contentType) return undefined;
  const body = readFileSync(file);
  return { contentType, body, gzip: gzipSync(body, { level: 9 }) };
}

/** The path of Chart.js's minified UMD build in node_modules. */
export function chartJsFile(): string {
  return join(dirname(require.resolve("chart.js")), "chart.umd.min.js");
}

/**
 * The table of servable files: `/` (index.html) and `/dashboard/<relative path>` for every file
 * with a known content type under `dir` (tests, tsconfig and type declarations are left out),
 * plus the vendored Chart.js.
 */
export function dashboardFiles(dir: string = DASHBOARD_DIR): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      if (/\.(test|d)\.|^tsconfig/.test(name)) continue;
      const f = entry(full);
      if (f) files.set(DASHBOARD_PREFIX + relative(dir, full).split(sep).join("/"), f);
    }
  };
  walk(dir);
  const index = files.get(`${DASHBOARD_PREFIX}index.html`);
  if (!index) throw new Error(`dashboard: ${join(dir, "index.html")} is missing`);
  files.set("/", index);
  const chart = entry(chartJsFile());
  if (chart) files.set(CHART_JS_PATH, chart);
  return files;
}

let cache: Map<string, StaticFile> | undefined;
/**
 * The shipped dashboard's table, read once per process on first use. Without the dashboard's
 * files (an image built without them), the table is empty and `/` is the API's 404; the API's
 * own routes never depend on it.
 */
function loaded(): Map<string, StaticFile> {
  if (cache) return cache;
  try {
    cache = dashboardFiles();
  } catch (err) {
    process.stderr.write(
      `modelplane api: no web dashboard at / (${err instanceof Error ? err.message : String(err)})\n`,
    );
    cache = new Map();
  }
  return cache;
}

/** Gzipped bytes of every JavaScript file the page ships (the performance budget: < 300 KB). */
export function shippedJsGzipBytes(files: Map<string, StaticFile> = dashboardFiles()): number {
  let total = 0;
  for (const [path, f] of files) if (path.endsWith(".js")) total += f.gzip.length;
  return total;
}

/**
 * The Express handler: GET/HEAD of a path in the table answers it (gzipped when the client
 * accepts it); anything else goes on to the API's routes and its 404.
 */
export function dashboardHandler(files?: Map<string, StaticFile>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const f = (files ?? loaded()).get(req.path);
    if (!f) return next();
    res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("Vary", "Accept-Encoding");
    res.setHeader("Content-Type", f.contentType);
    const gz = req.acceptsEncodings("gzip") === "gzip";
    if (gz) res.setHeader("Content-Encoding", "gzip");
    const body = gz ? f.gzip : f.body;
    res.setHeader("Content-Length", String(body.length));
    res.status(200).end(req.method === "HEAD" ? undefined : body);
  };
}
