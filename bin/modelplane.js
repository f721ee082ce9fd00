#!/usr/bin/env node
// The installed `modelplane` command: runs the TypeScript CLI (cli/main.ts) under tsx's loader in a
// child Node process, forwarding arguments, standard streams, signals and the exit code.
"use strict";
const { spawn } = require("node:child_process");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

const loader = pathToFileURL(require.resolve("tsx")).href;
const entry = join(__dirname, "..", "cli", "main.ts");
const child = spawn(process.execPath, ["--import", loader, entry, ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exitCode = code ?? 1;
});
