/**
 * Pure builders for the model-server container: vLLM (default) or Triton's OpenAI-compatible
 * frontend over its vLLM backend. Plain objects in, plain pod-spec fragments out; no Pulumi here.
 *
 * Facts used (read 2026-11-22):
 * - vLLM's OpenAI server: `vllm/vllm-openai` image, flags `--model`, `--served-model-name`,
 *   `--tensor-parallel-size`, `--max-model-len`, `--dtype`, port 8000, `GET /health`
 *   (https://docs.vllm.ai/en/latest/deployment/k8s.html); tensor parallelism needs a large
 *   `/dev/shm` (memory-backed emptyDir).
 * - Triton: `nvcr.io/nvidia/tritonserver:<yy.mm>-vllm-python-py3`, OpenAI frontend at
 *   `/opt/tritonserver/python/openai/openai_frontend/main.py --model-repository … --tokenizer …`
 *   (default port 9000), vLLM backend reads `<repo>/<model>/1/model.json`
 *   (https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/client_guide/openai_readme.html).
 */
import type { Precision } from "../../platform/core/types";

export type ServerKind = "vllm" | "triton";

/** Pinned default images (override with the spec's `server.image`). */
export const DEFAULT_SERVER_IMAGES: Readonly<Record<ServerKind, string>> = {
  vllm: "vllm/vllm-openai:v0.11.0",
  triton: "nvcr.io/nvidia/tritonserver:25.10-vllm-python-py3",
};

/** Port the server listens on inside the pod (both kinds). */
export const SERVER_PORT = 8000;
/** Where the fetched weights live inside the pod. */
export const MODEL_MOUNT = "/models";
export const WEIGHTS_DIR = `${MODEL_MOUNT}/weights`;

const BYTES_PER_PARAM: Readonly<Record<Precision, number>> = {
  fp32: 4,
  fp16: 2,
  bf16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
};

/** Size of the weights, GiB: parameters × bytes per parameter. 70B fp16 → 130.4 GiB. */
export function weightsGiB(parametersBillions: number, precision: Precision): number {
  return (parametersBillions * 1e9 * BYTES_PER_PARAM[precision]) / 2 ** 30;
}

/**
 * Seconds a replica may take to become ready: a fixed 120 s (image start, CUDA init, graph capture)
 * plus 4 s per GiB of weights (~250 MiB/s from the local cache), capped at one hour.
 * A deliberately generous estimate: a probe that gives up early kills a healthy, loading pod.
 */
export function weightLoadSeconds(weights: number): number {
  return Math.min(3600, Math.ceil(120 + 4 * weights));
}

/** An HTTP probe in pod-spec shape. */
export interface HttpProbe {
  httpGet: { path: string; port: number };
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export interface ServerProbes {
  startupProbe: HttpProbe;
  readinessProbe: HttpProbe;
  livenessProbe: HttpProbe;
}

/** Health path per server kind. */
export const HEALTH_PATHS: Readonly<Record<ServerKind, string>> = {
  vllm: "/health",
  triton: "/health/ready",
};

/**
 * Probes with room for weight loading. The startup probe allows twice the load estimate and gates
 * the other two: Kubernetes runs readiness and liveness only after it has passed, so they start
 * with no delay of their own (a delay there would hold a loaded replica out of the Service for up
 * to the whole estimate; https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/,
 * "startup probe ... disables liveness and readiness checks until it succeeds", read 2026-11-30).
 */
export function serverProbes(kind: ServerKind, weights: number): ServerProbes {
  const load = weightLoadSeconds(weights);
  const path = HEALTH_PATHS[kind];
  const httpGet = { path, port: SERVER_PORT };
  return {
    startupProbe: {
      httpGet,
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: Math.ceil((2 * load) / 10),
    },
    readinessProbe: { httpGet, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet, initialDelaySeconds: 0, periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 5 },
  };
}

/** vLLM `--dtype` for a precision; quantized formats load as `auto` (read from the checkpoint). */
function vllmDtype(precision: Precision): string {
  const map: Readonly<Record<Precision, string>> = {
    fp32: "float32",
    fp16: "float16",
    bf16: "bfloat16",
    fp8: "auto",
    int8: "auto",
    int4: "auto",
  };
  return map[precision];
}

export interface ServerContainerArgs {
  kind: ServerKind;
  /** Image; default DEFAULT_SERVER_IMAGES[kind]. */
  image?: string;
  /** Name clients pass as `model` in OpenAI requests. */
  servedModelName: string;
  /** Local path of the weights (WEIGHTS_DIR) or a Hugging Face repo id the server downloads itself. */
  modelPath: string;
  /** GPUs per replica = tensor-parallel size. */
  gpuCount: number;
  contextTokens: number;
  precision: Precision;
  /** Extra environment (e.g. HF_TOKEN from a secret). */
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } };
  }>;
}

/** A container in pod-spec shape (the subset modelplane sets). */
export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args: string[];
  ports: Array<{ name: string; containerPort: number; protocol: "TCP" }>;
  env: NonNullable<ServerContainerArgs["env"]>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  startupProbe: HttpProbe;
  readinessProbe: HttpProbe;
  livenessProbe: HttpProbe;
}

/** vLLM server flags. `--tensor-parallel-size` is always the GPU count of one replica. */
export function vllmArgs(a: ServerContainerArgs): string[] {
  const args = [
    "--model",
    a.modelPath,
    "--served-model-name",
    a.servedModelName,
    "--tensor-parallel-size",
    String(a.gpuCount),
    "--max-model-len",
    String(a.contextTokens),
    "--dtype",
    vllmDtype(a.precision),
    "--host",
    "0.0.0.0",
    "--port",
    String(SERVER_PORT),
  ];
  if (a.precision === "fp8") args.push("--quantization", "fp8");
  return args;
}

/** Triton's vLLM-backend `model.json` (the engine arguments). */
export function tritonModelJson(a: ServerContainerArgs): Record<string, unknown> {
  return {
    model: a.modelPath,
    tensor_parallel_size: a.gpuCount,
    max_model_len: a.contextTokens,
    dtype: vllmDtype(a.precision),
    gpu_memory_utilization: 0.9,
    ...(a.precision === "fp8" ? { quantization: "fp8" } : {}),
  };
}

/**
 * Triton: write a one-model repository next to the weights, then start the OpenAI frontend on
 * SERVER_PORT. The model name in the repository is the served name.
 */
export function tritonScript(a: ServerContainerArgs): string {
  const repo = `${MODEL_MOUNT}/repo`;
  const dir = `${repo}/${a.servedModelName}/1`;
  const json = JSON.stringify(tritonModelJson(a));
  const config = `backend: "vllm"\\ninstance_group [{ count: 1, kind: KIND_MODEL }]\\n`;
  return [
    "set -eu",
    `mkdir -p '${dir}'`,
    `printf '%s' '${json}' > '${dir}/model.json'`,
    `printf '${config}' > '${repo}/${a.servedModelName}/config.pbtxt'`,
    `exec python3 /opt/tritonserver/python/openai/openai_frontend/main.py --model-repository '${repo}' --tokenizer '${a.modelPath}' --host 0.0.0.0 --openai-port ${SERVER_PORT}`,
  ].join("\n");
}

/** The serving container: GPU limits, tensor parallelism, probes, mounts. */
export function serverContainer(a: ServerContainerArgs, weights: number): ContainerSpec {
  if (!Number.isInteger(a.gpuCount) || a.gpuCount < 1) {
    throw new Error(`gpuCount: ${a.gpuCount} is not a whole number >= 1`);
  }
  if (/['\\]/.test(a.servedModelName) || /['\\]/.test(a.modelPath)) {
    throw new Error("servedModelName/modelPath must not contain quotes or backslashes");
  }
  const gpus = String(a.gpuCount);
  const isTriton = a.kind === "triton";
  return {
    name: "server",
    image: a.image ?? DEFAULT_SERVER_IMAGES[a.kind],
    ...(isTriton ? { command: ["/bin/sh", "-c"] } : {}),
    args: isTriton ? [tritonScript(a)] : vllmArgs(a),
    ports: [{ name: "http", containerPort: SERVER_PORT, protocol: "TCP" }],
    env: a.env ?? [],
    resources: {
      // The weight cache is an emptyDir on the node's disk: request its size so the scheduler does not
      // pack more replicas on a node than its disk holds (they would be evicted once the cache fills).
      requests: { "nvidia.com/gpu": gpus, "ephemeral-storage": cacheSizeLimit(weights) },
      limits: { "nvidia.com/gpu": gpus },
    },
    volumeMounts: [
      { name: "model-cache", mountPath: MODEL_MOUNT },
      { name: "dshm", mountPath: "/dev/shm" },
    ],
    ...serverProbes(a.kind, weights),
  };
}

/** Size of the local weights cache, GiB: weights + 20 % + 5 GiB of headroom, whole GiB. */
export function cacheGiB(weights: number): number {
  return Math.ceil(weights * 1.2 + 5);
}

/** Size limit (and ephemeral-storage request) of the local weights cache, e.g. `162Gi`. */
export function cacheSizeLimit(weights: number): string {
  return `${cacheGiB(weights)}Gi`;
}

/**
 * ASSUMPTION (not measured): size of a model-server image on the node's disk, GiB. The vLLM OpenAI
 * image is roughly 8–10 GiB compressed and larger extracted; Triton's vLLM image is larger still.
 * Used to size node disks and rollout timeouts; replace with a measurement of the pinned images.
 */
export const ASSUMED_SERVER_IMAGE_GIB = 20;

/** Root disk a GPU node needs beyond images and caches (OS, kubelet, logs), GiB. ASSUMPTION. */
export const ASSUMED_NODE_SYSTEM_GIB = 30;

/**
 * Node disk, GiB, for `replicasPerNode` replicas of a model: each replica's weight cache (an emptyDir
 * on the root disk) plus one copy of the server image and the system's share. Pure.
 */
export function nodeDiskGiB(a: { replicasPerNode: number; weightsGiB: number; imageGiB?: number }): number {
  if (!Number.isInteger(a.replicasPerNode) || a.replicasPerNode < 1)
    throw new Error(`replicasPerNode: ${a.replicasPerNode} is not a whole number >= 1`);
  return (
    a.replicasPerNode * cacheGiB(a.weightsGiB) + (a.imageGiB ?? ASSUMED_SERVER_IMAGE_GIB) + ASSUMED_NODE_SYSTEM_GIB
  );
}
