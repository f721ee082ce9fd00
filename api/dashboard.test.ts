/**
 * The dashboard's static handler: content types, the CSP header, gzip, Chart.js vendored at its
 * pinned version, and no way out of the fixed file table (traversal in every spelling, other
 * methods, files that are not the dashboard's). Raw HTTP requests, so no client normalises `..`.
 */
import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import express from "express";
import pkg from "../package.json";
import {
  CHART_JS_PATH,
  CONTENT_SECURITY_POLICY,
  dashboardFiles,
  dashboardHandler,
  shippedJsGzipBytes,
} from "./dashboard";

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("dashboard static handler", () => {
  let server: Server;
  let port: number;
  let dir: string;

  before(async () => {
    // A small dashboard folder with a secret beside it and files the table must leave out.
    dir = mkdtempSync(join(tmpdir(), "mp-dash-"));
    mkdirSync(join(dir, "site", "pages"), { recursive: true });
    writeFileSync(join(dir, "secret.json"), '{"secret":true}');
    writeFileSync(join(dir, "site", "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(dir, "site", "app.js"), "export const x = 1;\n".repeat(50));
    writeFileSync(join(dir, "site", "style.css"), "body{}");
    writeFileSync(join(dir, "site", "pages", "a.js"), "export {};");
    writeFileSync(join(dir, "site", "tsconfig.json"), "{}");
    writeFileSync(join(dir, "site", "browser.test.ts"), "test");
    writeFileSync(join(dir, "site", "notes.txt"), "notes");
    const app = express();
    app.use(dashboardHandler(dashboardFiles(join(dir, "site"))));
    app.use((_req, res) => {
      res.status(404).json({ error: { code: "not_found" } });
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the page at / and its files with their content types and the CSP", async () => {
    const page = await raw(port, "GET", "/");
    assert.equal(page.status, 200);
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(page.headers["content-security-policy"], CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self';/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    assert.equal(page.body.toString(), "<!doctype html><title>t</title>");
    for (const [path, type] of [
      ["/dashboard/app.js", "text/javascript; charset=utf-8"],
      ["/dashboard/pages/a.js", "text/javascript; charset=utf-8"],
      ["/dashboard/style.css", "text/css; charset=utf-8"],
      ["/dashboard/index.html", "text/html; charset=utf-8"],
    ] as const) {
      const r = await raw(port, "GET", path);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers["content-type"], type, path);
      assert.equal(r.headers["content-security-policy"], CONTENT_SECURITY_POLICY, path);
    }
  });

  it("gzips when asked, and HEAD has no body", async () => {
    const gz = await raw(port, "GET", "/dashboard/app.js", { "accept-encoding": "gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(gz.body).toString(), "export const x = 1;\n".repeat(50));
    const head = await raw(port, "HEAD", "/dashboard/app.js");
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it("vendors Chart.js from node_modules at the exact version package.json pins", async () => {
    const pinned = (pkg.dependencies as Record<string, string>)["chart.js"];
    assert.match(pinned ?? "", /^\d+\.\d+\.\d+$/, "chart.js is pinned exactly");
    const r = await raw(port, "GET", CHART_JS_PATH);
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-type"], "text/javascript; charset=utf-8");
    assert.ok(r.body.toString("utf8", 0, 200).includes(`Chart.js v${pinned}`));
  });

  it("answers nothing outside the table: traversal in every spelling, other files, other methods", async () => {
    for (const path of [
      "/dashboard/../secret.json",
      "/dashboard/%2e%2e/secret.json",
      "/dashboard/..%2fsecret.json",
      "/dashboard/%2e%2e%2fsecret.json",
      "/dashboard/..%5csecret.json",
      "/dashboard//../secret.json",
      "/../secret.json",
      "/secret.json",
      "/dashboard/tsconfig.json",
      "/dashboard/browser.test.ts",
      "/dashboard/notes.txt",
      "/dashboard/",
      "/dashboard",
      "/dashboard/pages",
      "/dashboard/APP.JS",
      "/dashboard/app.js%00.html",
    ]) {
      const r = await raw(port, "GET", path);
      assert.equal(r.status, 404, path);
      assert.ok(!r.body.toString().includes("secret"), path);
    }
    for (const method of ["POST", "PUT", "DELETE"]) {
      assert.equal((await raw(port, method, "/")).status, 404, method);
    }
  });

  it("the shipped dashboard's JavaScript is under 300 KB gzipped (issue 16's budget)", () => {
    const files = dashboardFiles();
    assert.ok(files.has("/") && files.has("/dashboard/app.js") && files.has(CHART_JS_PATH));
    assert.ok(![...files.keys()].some((p) => /test|tsconfig|testing/.test(p)), [...files.keys()].join(", "));
    const bytes = shippedJsGzipBytes(files);
    assert.ok(bytes > 10_000 && bytes < 300 * 1024, `${bytes} bytes`);
  });
});
