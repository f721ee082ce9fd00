/**
 * `modelplane promote ID` and `modelplane abort ID` [--wait] [--json]: end a canary or blue/green
 * rollout (started with `modelplane update ID PATCH.json` carrying `rollout`). Promote keeps the
 * new revision, abort goes back to the stable one; each queues an update.
 */
import type { Command } from "../main";
import { seg, withClient, type ClientDeps, type RemoteDeployment } from "../client/context";
import { followDeployment, latestOperationId } from "../client/follow";
import { parseFlags, processIO, singlePositional } from "./catalog";

export async function runRolloutEnd(step: "promote" | "abort", argv: string[], deps: ClientDeps): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    wait: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    deps.io.out(`usage: modelplane ${step} ID [--wait] [--json]\n`);
    return 0;
  }
  const id = singlePositional(positionals, "ID", "a deployment id with a rollout in progress", "id");
  return withClient(deps, step, async (client) => {
    let d = (await client.request<RemoteDeployment>("POST", `/v1/deployments/${seg(id)}/${step}`)).body;
    if (values.wait) {
      const operationId = await latestOperationId(client, id);
      d = await followDeployment(client, id, deps.io, {
        quiet: values.json === true,
        ...(operationId ? { operationId } : {}),
      });
    }
    if (values.json) deps.io.out(`${JSON.stringify(d, null, 2)}\n`);
    else {
      const what =
        step === "promote" ? "the new revision takes all traffic" : "the stable revision takes all traffic again";
      deps.io.out(`${d.id}: ${step} ${values.wait ? d.status : "queued"}; ${what}\n`);
    }
    return values.wait && d.status === "failed" ? 1 : 0;
  });
}

export const promote: Command = {
  summary: "promote a rollout: the new revision takes all traffic",
  run: (argv) => runRolloutEnd("promote", argv, { io: processIO }),
};

export const abort: Command = {
  summary: "abort a rollout: the stable revision takes all traffic again",
  run: (argv) => runRolloutEnd("abort", argv, { io: processIO }),
};
