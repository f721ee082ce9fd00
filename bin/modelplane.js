#!/usr/bin/env node
// The installed `modelplane` command: registers tsx's TypeScript loader in this process (as
// `node --import tsx` does) and runs the CLI (cli/main.ts) here, so a command pays one Node start,
// not two. Exit codes come from the CLI; signals reach it directly.
"use strict";
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

(async () => {
  await import("tsx");
  const cli = await import(pathToFileURL(join(__dirname, "..", "cli", "main.ts")).href);
  (cli.runCli ?? cli.default.runCli)(process.argv.slice(2));
})().catch((err) => {
  process.stderr.write(`modelplane: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
