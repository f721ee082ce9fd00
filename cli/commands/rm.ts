/** `modelplane rm ID [--wait] [--json]`: destroy a deployment (its resources, then its stack). */
import type { Command } from "../main";
import { seg, withClient, type ClientDeps, type RemoteDeployment } from "../client/context";
import { followDeployment, latestOperationId } from "../client/follow";
import { parseFlags, processIO, singlePositional } from "./catalog";

export async function runRm(argv: string[], deps: ClientDeps): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    wait: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    deps.io.out("usage: modelplane rm ID [--wait] [--json]\n");
    return 0;
  }
  const id = singlePositional(positionals, "ID", "a deployment id (modelplane ls lists them)", "id");
  return withClient(deps, "rm", async (client) => {
    let d = (await client.request<RemoteDeployment>("DELETE", `/v1/deployments/${seg(id)}`)).body;
    if (values.wait) {
      const operationId = await latestOperationId(client, id);
      d = await followDeployment(client, id, deps.io, {
        quiet: values.json === true,
        ...(operationId ? { operationId } : {}),
      });
    }
    if (values.json) deps.io.out(`${JSON.stringify(d, null, 2)}\n`);
    else
      deps.io.out(
        `${d.id}: ${d.status}${values.wait ? "" : " (destroy queued; modelplane status --follow to watch)"}\n`,
      );
    return values.wait && d.status !== "destroyed" ? 1 : 0;
  });
}

export const command: Command = {
  summary: "destroy a deployment on the server",
  run: (argv) => runRm(argv, { io: processIO }),
};
