/** The tenant model registry (see ../types.ts). */
import type { ModelArchitecture } from "../../core/model-config";
import type { Precision } from "../../core/types";

/** A model's attention shape and size, read from its Hugging Face config.json (platform/core/model-config.ts). */
export type { ModelArchitecture };

/** One immutable version of a registered model. */
export interface ModelVersion {
  version: string;
  /** Where the weights live: s3://, gs://, https://<account>.blob.core.windows.net/…, hf://org/repo. */
  artifactUri: string;
  precision: Precision;
  parametersBillions: number;
  /** `given` by the caller, or estimated from the `config` (formula in platform/core/model-config.ts). */
  parametersSource: "given" | "config";
  architecture: ModelArchitecture;
  createdAt: string;
}

/** A tenant's registered model with its versions, oldest first. */
export interface RegisteredModel {
  name: string;
  versions: ModelVersion[];
  createdAt: string;
  updatedAt: string;
}

/** What the control plane stores for `POST /v1/models` (already validated and derived). */
export interface RegisterModelInput {
  tenant: string;
  name: string;
  versions: Array<Omit<ModelVersion, "createdAt">>;
}
