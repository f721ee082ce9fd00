/** `modelplane events ID [--follow] [--json]`: a deployment's events (replayed; `--follow` stays for live ones). */
import type { Command } from "../main";
import { seg, withClient, type ClientDeps } from "../client/context";
import { describeEvent } from "../client/follow";
import { readSse } from "../client/sse";
import { parseFlags, processIO, singlePositional } from "./catalog";

export async function runEvents(argv: string[], deps: ClientDeps): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    follow: { type: "boolean", short: "f" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    deps.io.out("usage: modelplane events ID [--follow] [--json]\n");
    return 0;
  }
  const id = singlePositional(positionals, "ID", "a deployment id (modelplane ls lists them)", "id");
  return withClient(deps, "events", async (client) => {
    const path = `/v1/deployments/${seg(id)}/events?follow=${values.follow ? "true" : "false"}`;
    const res = await client.raw("GET", path, undefined, { accept: "text/event-stream" });
    if (!res.ok) await client.request("GET", path); // throws the API's error
    for await (const frame of readSse(res)) {
      if (values.json) {
        deps.io.out(`${frame.data}\n`);
        continue;
      }
      try {
        const line = describeEvent(JSON.parse(frame.data) as Parameters<typeof describeEvent>[0]);
        if (line) deps.io.out(`${line}\n`);
      } catch {
        deps.io.out(`${frame.data}\n`);
      }
    }
    return 0;
  });
}

export const command: Command = {
  summary: "print a deployment's events (--follow for live ones)",
  run: (argv) => runEvents(argv, { io: processIO }),
};
