/**
 * Writes that a cloud API refuses to run side by side under one parent, as data with the public
 * source. Pulumi creates resources in parallel unless one depends on another, so every resource of
 * such a kind under one parent must be chained (each `dependsOn` the one before). Under mocks the
 * parallel writes all succeed; on the cloud the second one fails with 409. The offline plan's
 * `serial` check (platform/service/plan/checks/serial.ts) reads this table.
 * This folder is self-contained: it imports nothing from the project.
 */
import type { SourceRef } from "./names";

/** Date every row in this file was last compared with its source. */
export const SERIAL_WRITES_CHECKED = "2026-12-01";

/** Kinds of write that must not run concurrently under one parent. */
export type SerialWriteKind = "azure-federated-identity-credential" | "aks-agent-pool";

/** One row: what is written, under which parent, what the cloud answers, and where that is written down. */
export interface SerialWriteLimit {
  readonly kind: SerialWriteKind;
  /** Short name of the service that enforces it, for messages. */
  readonly enforcedBy: string;
  /** The written thing, in words. */
  readonly what: string;
  /** The parent under which writes are serialized, in words. */
  readonly per: string;
  /** What the cloud answers a concurrent write. */
  readonly answer: string;
  readonly source: SourceRef;
  /** Present (and false) when the rule was not read in the provider's own docs. */
  readonly confirmed?: false;
  readonly checked: string;
}

export const SERIAL_WRITE_LIMITS: Readonly<Record<SerialWriteKind, SerialWriteLimit>> = {
  "azure-federated-identity-credential": {
    kind: "azure-federated-identity-credential",
    enforcedBy: "Azure",
    what: "federated identity credentials",
    per: "user-assigned managed identity",
    // "Creating multiple federated identity credentials under the same user-assigned managed
    // identity concurrently triggers concurrency detection logic, which causes requests to fail
    // with 409-conflict HTTP status code." The page recommends `dependsOn` chains; credentials under
    // different identities may be created in parallel.
    answer:
      "409 Conflict (concurrent write request to federated identity credential resources under the same user-assigned identity has been denied)",
    source: {
      title:
        "Important considerations and restrictions for federated identity credentials (Concurrent updates aren't supported)",
      url: "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-considerations",
    },
    checked: SERIAL_WRITES_CHECKED,
  },
  "aks-agent-pool": {
    kind: "aks-agent-pool",
    enforcedBy: "AKS",
    what: "agent pools",
    per: "AKS cluster",
    answer: "409 OperationNotAllowed (Another agentpool operation … is in progress)",
    // The error text as quoted in cilium/cilium#25944 (2023-06-06); the fix by sequencing in
    // Azure/terraform-azurerm-avm-ptn-aks-production#25. Not read on a Microsoft page.
    source: {
      title: "cilium/cilium#25944 (AKS OperationNotAllowed: Another agentpool operation is in progress)",
      url: "https://github.com/cilium/cilium/issues/25944",
    },
    confirmed: false,
    checked: SERIAL_WRITES_CHECKED,
  },
};
