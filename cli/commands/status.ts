/** `modelplane status ID [--follow] [--json]`: one deployment; `--follow` follows it until it settles. */
import type { Command } from "../main";
import { SETTLED, seg, withClient, type ClientDeps, type RemoteDeployment } from "../client/context";
import { followDeployment } from "../client/follow";
import { usd } from "../client/table";
import { parseFlags, processIO, singlePositional } from "./catalog";
import { INFERENCE_KEY_HINT, settledReport } from "./deploy";

export async function runStatus(argv: string[], deps: ClientDeps): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    follow: { type: "boolean", short: "f" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    deps.io.out("usage: modelplane status ID [--follow] [--json]\n");
    return 0;
  }
  const id = singlePositional(positionals, "ID", "a deployment id (modelplane ls lists them)", "id");
  return withClient(deps, "status", async (client) => {
    let d = (await client.request<RemoteDeployment>("GET", `/v1/deployments/${seg(id)}`)).body;
    if (values.follow && !SETTLED.has(d.status)) {
      const operationId = d.operations?.at(-1)?.id;
      d = await followDeployment(client, id, deps.io, {
        quiet: values.json === true,
        ...(operationId ? { operationId } : {}),
      });
    }
    if (values.json) {
      deps.io.out(`${JSON.stringify(d, null, 2)}\n`);
      return 0;
    }
    const p = d.placement;
    deps.io.out(
      `${d.id}  ${d.name} (${d.environment})  ${d.status}\n  ${p.cloud} ${p.region} ${p.instanceType} ${p.capacity}, $${usd(d.estimatedMonthlyUsd)}/month\n`,
    );
    if (values.follow) {
      const report = settledReport(d, "$MODELPLANE_INFERENCE_KEY");
      deps.io.out(`${report.text}\n`);
      return report.ok ? 0 : 1;
    }
    if (d.error?.message) deps.io.out(`  error: ${d.error.message}\n`);
    const e = d.endpoint;
    if (e && e.url !== null) {
      deps.io.out(`  endpoint: ${e.url}\n\n${e.curl}\n\n${INFERENCE_KEY_HINT}\n`);
      if (e.unverified) deps.io.out(`  note: unverified: ${e.unverified}\n`);
    } else if (e) deps.io.out(`  endpoint: none (${e.reason})\n`);
    return 0;
  });
}

export const command: Command = {
  summary: "show one deployment (--follow to its end)",
  run: (argv) => runStatus(argv, { io: processIO }),
};
