#!/usr/bin/env node
// The installed `modelplane` command: runs the TypeScript CLI through tsx.
"use strict";
require("tsx/cjs");
const { main } = require("../cli/main.ts");
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`modelplane: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
