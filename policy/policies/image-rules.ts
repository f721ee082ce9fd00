/**
 * `allowed-image-registries`: every container image a Kubernetes workload runs comes from a
 * registry the platform trusts. The model server runs with the model store's reader identity, so
 * an image from anywhere could read every model in the store. The API refuses a request's
 * `server.image` outside the same list before anything is planned (api/governance.ts).
 */
import { z } from "zod";
import { FETCH_IMAGES } from "../../providers/kubernetes/model-fetch";
import { DEFAULT_SERVER_IMAGES } from "../../providers/kubernetes/model-server";
import { REDIS_IMAGE } from "../../providers/kubernetes/gateway";
import { subject, type ResourceRule } from "./rule";

/**
 * The registry path of an image reference, with Docker Hub made explicit: `vllm/vllm-openai:v1` →
 * `docker.io/vllm/vllm-openai`, `nvcr.io/nvidia/x:1` → `nvcr.io/nvidia/x`. The first component is a
 * registry host when it holds a `.` or `:` or is `localhost` (the Docker reference grammar,
 * https://github.com/distribution/reference/blob/main/reference.go, read 2026-11-30).
 */
export function imageRepository(image: string): string {
  const noDigest = image.split("@")[0] ?? "";
  const lastSlash = noDigest.lastIndexOf("/");
  const colon = noDigest.indexOf(":", lastSlash + 1);
  const repo = (colon >= 0 ? noDigest.slice(0, colon) : noDigest).toLowerCase();
  const first = repo.split("/")[0] ?? "";
  const hasHost = repo.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasHost) return repo;
  return `docker.io/${repo.includes("/") ? repo : `library/${repo}`}`;
}

/** True when `image` lies under one of `registries` (`nvcr.io/nvidia` allows `nvcr.io/nvidia/…`). */
export function imageAllowed(image: string, registries: readonly string[]): boolean {
  const repo = imageRepository(image);
  return registries.some((r) => {
    const prefix = r.toLowerCase().replace(/\/+$/, "");
    return repo === prefix || repo.startsWith(`${prefix}/`);
  });
}

/** The owners of modelplane's own pinned images: `docker.io/vllm/vllm-openai` → `docker.io/vllm`. */
function ownerOf(image: string): string {
  const repo = imageRepository(image);
  return repo.slice(0, repo.lastIndexOf("/"));
}

export const DEFAULT_IMAGE_REGISTRIES: readonly string[] = [
  ...new Set([...Object.values(DEFAULT_SERVER_IMAGES), ...Object.values(FETCH_IMAGES)].map(ownerOf)),
  // The gateway's rate-limit Redis: that one repository, not all of Docker Hub's library.
  imageRepository(REDIS_IMAGE),
];

const imageConfig = z.object({
  registries: z
    .array(z.string().min(1).max(255))
    .max(100)
    .default([...DEFAULT_IMAGE_REGISTRIES])
    .describe(
      "Registry prefixes container images may come from (e.g. nvcr.io/nvidia, 123456789012.dkr.ecr.us-east-1.amazonaws.com); Docker Hub images are docker.io/<owner>/<name>",
    ),
});

/** Every string under an `image` key of `value` (containers, init containers), depth-bounded. */
function imagesIn(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 12 || value === null || typeof value !== "object") return out;
  if (Array.isArray(value)) {
    for (const v of value) imagesIn(v, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === "image" && typeof v === "string") out.push(v);
    else imagesIn(v, out, depth + 1);
  }
  return out;
}

export const allowedImageRegistriesRule: ResourceRule<typeof imageConfig> = {
  kind: "resource",
  name: "allowed-image-registries",
  description: "Kubernetes workloads run container images only from the platform's allowed registries.",
  enforcementLevel: "mandatory",
  config: imageConfig,
  check(record, config) {
    if (!record.type.startsWith("kubernetes:")) return [];
    return imagesIn(record.props)
      .filter((image) => !imageAllowed(image, config.registries))
      .map(
        (image) =>
          `${subject(record)} runs image "${image}" from ${imageRepository(image)}, outside the allowed registries (${config.registries.join(", ")}); add its registry to allowed-image-registries.registries`,
      );
  },
};
