/**
 * Follow a deployment's events (SSE) to a settled status, printing progress as it comes. A stream
 * that ends early is resumed from the last event id; the final state is read back from the API.
 */
import type { CommandIO } from "../commands/catalog";
import type { ApiClient } from "./api";
import { SETTLED, seg, type RemoteDeployment } from "./context";
import { readSse } from "./sse";

interface EventData {
  id: number;
  operationId?: string | null;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

const time = (iso: string): string => (iso.length >= 19 ? iso.slice(11, 19) : iso);

/** One line for a person, or undefined for events not worth a line. */
export function describeEvent(e: EventData): string | undefined {
  const d = e.data;
  switch (e.type) {
    case "status": {
      const err = d["error"] as { message?: string } | undefined;
      const why = err?.message ?? (typeof d["reason"] === "string" ? d["reason"] : undefined);
      return `${time(e.at)}  status → ${String(d["status"])}${why ? `: ${why}` : ""}`;
    }
    case "log":
      return `${time(e.at)}  ${String(d["message"] ?? "")}`;
    case "summary": {
      const changes = d["changes"] ? ` ${JSON.stringify(d["changes"])}` : "";
      const why = typeof d["reason"] === "string" ? ` (${d["reason"]})` : "";
      return `${time(e.at)}  ${String(d["kind"] ?? "operation")} ${String(d["result"] ?? "")}${changes}${why}`;
    }
    case "engine": {
      const pre = d["resourcePreEvent"] as { metadata?: { op?: string; type?: string; urn?: string } } | undefined;
      const meta = pre?.metadata;
      if (!meta) return undefined;
      const name = meta.urn?.split("::").pop() ?? "";
      return `${time(e.at)}    ${meta.op ?? "?"} ${meta.type ?? ""} ${name}`.trimEnd();
    }
    default:
      return `${time(e.at)}  ${e.type} ${JSON.stringify(d)}`;
  }
}

/** The newest operation of a deployment (the one an update or destroy just queued). */
export async function latestOperationId(client: ApiClient, id: string): Promise<string | undefined> {
  const d = (await client.request<RemoteDeployment>("GET", `/v1/deployments/${seg(id)}`)).body;
  return d.operations?.at(-1)?.id;
}

/** Print events until the deployment settles; returns the settled deployment. */
export async function followDeployment(
  client: ApiClient,
  id: string,
  io: CommandIO,
  options: {
    quiet?: boolean;
    maxResumes?: number;
    /** Follow only this operation's events (an update or destroy of a deployment with a history). */
    operationId?: string;
  } = {},
): Promise<RemoteDeployment> {
  let after = 0;
  const maxResumes = options.maxResumes ?? 20;
  for (let attempt = 0; attempt <= maxResumes; attempt++) {
    const res = await client.raw("GET", `/v1/deployments/${seg(id)}/events?after=${after}`, undefined, {
      accept: "text/event-stream",
    });
    if (!res.ok) {
      // Let the JSON error path speak in the API's words.
      await client.request("GET", `/v1/deployments/${seg(id)}/events?after=${after}&follow=false`);
    }
    for await (const frame of readSse(res)) {
      let event: EventData;
      try {
        event = JSON.parse(frame.data) as EventData;
      } catch {
        continue;
      }
      after = Math.max(after, event.id);
      if (options.operationId !== undefined && event.operationId !== options.operationId) continue;
      if (!options.quiet) {
        const line = describeEvent(event);
        if (line) io.out(`${line}\n`);
      }
      if (event.type === "status" && SETTLED.has(String(event.data["status"]))) {
        await res.body?.cancel().catch(() => undefined);
        return (await client.request<RemoteDeployment>("GET", `/v1/deployments/${seg(id)}`)).body;
      }
    }
    // The stream ended without a settled status (server restart, proxy timeout): check, then resume.
    const now = (await client.request<RemoteDeployment>("GET", `/v1/deployments/${seg(id)}`)).body;
    const op =
      options.operationId === undefined ? undefined : now.operations?.find((o) => o.id === options.operationId);
    const opDone =
      options.operationId === undefined || (op !== undefined && op.status !== "queued" && op.status !== "running");
    if (SETTLED.has(now.status) && opDone) return now;
  }
  throw new Error(`the event stream of ${id} ended ${maxResumes + 1} times before the deployment settled`);
}
