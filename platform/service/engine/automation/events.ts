/** Pulumi engine events → the small JSON we persist and stream (no secrets, no huge payloads). */
import type { EngineEvent } from "@pulumi/pulumi/automation";

/** Keep what a person following a deployment needs: resource steps, diagnostics, policy results, the summary. */
export function trimEngineEvent(e: EngineEvent): Record<string, unknown> | null {
  const base = { sequence: e.sequence, timestamp: e.timestamp };
  if (e.resourcePreEvent) {
    const m = e.resourcePreEvent.metadata;
    return { ...base, type: "resourcePre", op: m.op, urn: m.urn, resourceType: m.type };
  }
  if (e.resOutputsEvent) {
    const m = e.resOutputsEvent.metadata;
    return { ...base, type: "resourceOutputs", op: m.op, urn: m.urn, resourceType: m.type };
  }
  if (e.resOpFailedEvent) {
    const m = e.resOpFailedEvent.metadata;
    return {
      ...base,
      type: "resourceFailed",
      op: m.op,
      urn: m.urn,
      resourceType: m.type,
      status: e.resOpFailedEvent.status,
    };
  }
  if (e.diagnosticEvent) {
    const d = e.diagnosticEvent;
    if (d.ephemeral) return null;
    return {
      ...base,
      type: "diagnostic",
      severity: d.severity,
      message: d.message.slice(0, 4000),
      ...(d.urn ? { urn: d.urn } : {}),
    };
  }
  if (e.policyEvent) {
    const p = e.policyEvent;
    return {
      ...base,
      type: "policy",
      policyPack: p.policyPackName,
      policy: p.policyName,
      enforcementLevel: p.enforcementLevel,
      message: p.message.slice(0, 4000),
      ...(p.resourceUrn ? { urn: p.resourceUrn } : {}),
    };
  }
  if (e.summaryEvent) {
    const s = e.summaryEvent;
    return {
      ...base,
      type: "summary",
      resourceChanges: s.resourceChanges,
      durationSeconds: s.durationSeconds,
      maybeCorrupt: s.maybeCorrupt,
    };
  }
  if (e.cancelEvent) return { ...base, type: "cancel" };
  if (e.preludeEvent) return { ...base, type: "prelude" };
  return null;
}

/** Stack outputs as plain JSON; secret values are masked. */
export function plainOutputs(outputs: Record<string, { value: unknown; secret: boolean }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
}
