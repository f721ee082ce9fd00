/**
 * Container image sizes the plan's disk arithmetic needs, as data with their sources. A node's
 * disk holds the unpacked serving image beside the weight caches of the replicas it runs.
 *
 * This folder is self-contained: it imports nothing from the project.
 */

/** Date every row in this file was last compared with its source. */
export const IMAGES_CHECKED = "2026-11-30";

/** Where a fact was read: the page address and the page's own title. */
export interface SourceRef {
  readonly url: string;
  readonly title: string;
}

/** Disk a serving image takes on a node once pulled and unpacked. */
export interface ImageSize {
  /** Image repository the size is about. */
  readonly image: string;
  /** GiB on the node's disk (rounded up). */
  readonly diskGiB: number;
  readonly source: SourceRef;
  readonly checked: string;
  readonly note: string;
}

/**
 * The vLLM OpenAI-compatible server image. 28.6 GB (≈ 26.6 GiB) for `vllm/vllm-openai:latest` as
 * measured in vllm-project/vllm#22377 (2025-12-10); users report 25 GB filling 50 GB node disks
 * (vllm-project/vllm#17163). Rounded up to 30 GiB: images have grown with every release.
 */
export const VLLM_IMAGE: ImageSize = {
  image: "vllm/vllm-openai",
  diskGiB: 30,
  source: {
    url: "https://github.com/vllm-project/vllm/pull/22377",
    title: "vllm-project/vllm: Layered Dockerfile for smaller size and faster image pulling",
  },
  checked: IMAGES_CHECKED,
  note: "Third-party measurement in a vLLM pull request, not a published figure; the uncompressed size on a node's disk.",
};
