/** Test support (not a test file): recorded resources built by hand for the checks' tests. */
import type { RecordedResource } from "../record";

let counter = 0;

/** A recorded custom resource; `extra` sets provider, dependsOn, secrets, urn. */
export function recorded(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  counter += 1;
  return {
    type,
    name,
    urn: `urn:pulumi:test::p::${type}::${name}`,
    inputs,
    dependsOn: [],
    id: `${name}-${counter}`,
    custom: true,
    ...extra,
  };
}

/** A GPU Deployment as ModelService registers it, with fields to override. */
export function gpuDeployment(
  name: string,
  opts: {
    nodeSelector?: Record<string, string>;
    strategy?: Record<string, unknown>;
    ephemeral?: string;
    cache?: string;
    gpus?: number;
    replicas?: number;
  } = {},
): RecordedResource {
  return recorded("kubernetes:apps/v1:Deployment", name, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "mp-default" },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: opts.nodeSelector ?? { "modelplane.dev/pool": "gpu-pool" },
          containers: [
            {
              name: "server",
              image: "vllm/vllm-openai:v0.11.0",
              ports: [{ containerPort: 8000 }],
              resources: {
                limits: { "nvidia.com/gpu": String(opts.gpus ?? 1) },
                requests: {
                  "nvidia.com/gpu": String(opts.gpus ?? 1),
                  ...(opts.ephemeral ? { "ephemeral-storage": opts.ephemeral } : {}),
                },
              },
            },
          ],
          volumes: [
            { name: "model-cache", emptyDir: { sizeLimit: opts.cache ?? "23Gi" } },
            { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "16Gi" } },
          ],
        },
      },
    },
  });
}
