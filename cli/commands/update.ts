/** `modelplane update ID FILE [--json] [--wait]`: PATCH a deployment (rescale or re-place) from a JSON file. */
import type { Command } from "../main";
import { readJsonFile } from "../../platform/core/files";
import { ValidationError } from "../../platform/core/validation";
import { seg, withClient, type ClientDeps, type RemoteDeployment } from "../client/context";
import { followDeployment, latestOperationId } from "../client/follow";
import { parseFlags, processIO } from "./catalog";
import { settledReport } from "./deploy";

export async function runUpdate(argv: string[], deps: ClientDeps): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    json: { type: "boolean" },
    wait: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    deps.io.out('usage: modelplane update ID FILE [--json] [--wait]   (FILE: e.g. {"scaling": {"maxReplicas": 4}})\n');
    return 0;
  }
  const [id, file, ...extra] = positionals;
  if (!id) throw new ValidationError("ID", "missing: a deployment id (modelplane ls lists them)");
  if (!file) throw new ValidationError("FILE", "missing: a JSON file with the fields to change");
  if (extra.length) throw new ValidationError("FILE", `one file only; unexpected "${extra.join(" ")}"`);
  const patch = readJsonFile(file, "FILE");
  return withClient(deps, "update", async (client) => {
    let d = (await client.request<RemoteDeployment>("PATCH", `/v1/deployments/${seg(id)}`, patch)).body;
    if (values.wait) {
      const operationId = await latestOperationId(client, id);
      d = await followDeployment(client, id, deps.io, {
        quiet: values.json === true,
        ...(operationId ? { operationId } : {}),
      });
    }
    if (values.json) {
      deps.io.out(`${JSON.stringify(d, null, 2)}\n`);
      return 0;
    }
    if (!values.wait) {
      deps.io.out(`${d.id}: update queued (modelplane status ${d.id} --follow to watch)\n`);
      return 0;
    }
    const report = settledReport(d, "$MODELPLANE_INFERENCE_KEY");
    deps.io.out(`${report.text}\n`);
    return report.ok ? 0 : 1;
  });
}

export const command: Command = {
  summary: "change a deployment on the server (rescale, re-place)",
  run: (argv) => runUpdate(argv, { io: processIO }),
};
