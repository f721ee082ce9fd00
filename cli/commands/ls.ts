/** `modelplane ls [--json] [--status S] [--model M] [--all]`: the tenant's deployments, newest first. */
import type { Command } from "../main";
import { endpointOf, withClient, type ClientDeps, type RemoteDeployment } from "../client/context";
import { table, usd } from "../client/table";
import { parseFlags, processIO } from "./catalog";

interface Page {
  items: RemoteDeployment[];
  nextCursor: string | null;
}

export async function runLs(argv: string[], deps: ClientDeps): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      json: { type: "boolean" },
      status: { type: "string" },
      model: { type: "string" },
      all: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    deps.io.out("usage: modelplane ls [--json] [--status STATUS] [--model MODEL] [--all (every page)]\n");
    return 0;
  }
  return withClient(deps, "ls", async (client) => {
    const items: RemoteDeployment[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ limit: "200" });
      if (values.status) q.set("status", values.status);
      if (values.model) q.set("model", values.model);
      if (cursor) q.set("cursor", cursor);
      const { body }: { body: Page } = await client.request<Page>("GET", `/v1/deployments?${q.toString()}`);
      items.push(...body.items);
      cursor = values.all ? body.nextCursor : null;
    } while (cursor);
    if (values.json) {
      deps.io.out(`${JSON.stringify(items, null, 2)}\n`);
      return 0;
    }
    if (items.length === 0) {
      deps.io.out("no deployments\n");
      return 0;
    }
    const rows = items.map((d) => [
      d.id,
      d.name,
      d.environment,
      d.status,
      `${d.placement.cloud} ${d.placement.region}`,
      `${d.placement.instanceType} ${d.placement.capacity}`,
      usd(d.estimatedMonthlyUsd),
      endpointOf(d) ?? "",
    ]);
    deps.io.out(`${table(["id", "name", "env", "status", "where", "instance", "$/month", "endpoint"], rows)}\n`);
    return 0;
  });
}

export const command: Command = {
  summary: "list your deployments on the server",
  run: (argv) => runLs(argv, { io: processIO }),
};
