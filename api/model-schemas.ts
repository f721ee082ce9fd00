/**
 * The model registry's wire schemas (`POST /v1/models`, `GET /v1/models[/:name]`) and the pure step
 * from a registration body to what the control plane stores: each version's architecture is read from
 * its Hugging Face `config.json` (platform/core/model-config.ts) or taken as given, and its parameter
 * count is given or estimated from the config.
 */
import { z } from "zod";
import { boundedRecord } from "../platform/core/bounds";
import { checkArtifactUri, parseModelConfig, type ModelArchitecture } from "../platform/core/model-config";
import { PRECISIONS } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import type { RegisterModelInput } from "../platform/service/types";

const count = (what: string, max: number) =>
  z.number().int(`${what} must be a whole number`).positive(`${what} must be at least 1`).max(max);

/** Model names: any text (unicode welcome) but control characters, which the API refuses everywhere. */
export const MODEL_NAME_MAX = 200;
export const ModelNameSchema = z
  .string()
  .trim()
  .min(1, "name must not be empty")
  .max(MODEL_NAME_MAX, `name must be at most ${MODEL_NAME_MAX} characters`)
  .meta({ description: "Model name, unique in the tenant, e.g. llama-3.1-8b-instruct." });

export const ModelArchitectureSchema = z
  .object({
    layers: count("layers", 1000).meta({ description: "Transformer layers (num_hidden_layers)." }),
    attentionHeads: count("attentionHeads", 4096).meta({ description: "Query heads (num_attention_heads)." }),
    kvHeads: count("kvHeads", 4096).meta({ description: "Key/value heads (num_key_value_heads)." }),
    headDim: count("headDim", 4096).meta({ description: "Dimension of one head." }),
    hiddenSize: count("hiddenSize", 1_000_000).meta({ description: "Model width (hidden_size)." }),
    maxContextTokens: count("maxContextTokens", 100_000_000).meta({
      description: "Longest context the model supports (max_position_embeddings).",
    }),
    experts: count("experts", 10_000).optional().meta({ description: "MoE experts per layer (all held in memory)." }),
  })
  .strict()
  .meta({ id: "ModelArchitecture" });

export const ModelVersionBody = z
  .object({
    version: z
      .string()
      .trim()
      .min(1, "version must not be empty")
      .max(64, "version must be at most 64 characters")
      .regex(/^[^@/\s]+$/, "version must not contain @, / or spaces (a deployment refers to name@version)")
      .meta({ description: "Version label, immutable once registered, e.g. 1, 2024-07-23, a commit." }),
    artifactUri: z.string().min(1).max(2048).meta({
      description:
        "Where the weights live: s3://bucket/path, gs://bucket/path, https://<account>.blob.core.windows.net/<container>/path or hf://org/repo",
    }),
    precision: z.enum(PRECISIONS).meta({ description: "Precision the weights are served at." }),
    parametersBillions: z
      .number()
      .positive("parametersBillions must be positive")
      .max(10_000)
      .optional()
      .meta({ description: "Parameters, billions. Default: estimated from `config`." }),
    // A real config.json has 20-80 keys; 500 leaves room without inviting a flood.
    config: boundedRecord(z.string().max(128), z.unknown(), 500)
      .optional()
      .meta({ description: "The model's Hugging Face config.json, inline; the architecture is read from it." }),
    architecture: ModelArchitectureSchema.optional().meta({
      description: "The architecture, when no `config` is given.",
    }),
  })
  .strict()
  .meta({ id: "ModelVersionInput" });

export const RegisterModelBody = z
  .object({
    name: ModelNameSchema,
    versions: z
      .array(ModelVersionBody)
      .min(1, "versions must list at least one version")
      .max(50, "versions lists at most 50 versions per request"),
  })
  .strict()
  .meta({ id: "ModelRegistration" });

export type RegisterModelRequest = z.output<typeof RegisterModelBody>;

export const ModelVersionSchema = z
  .object({
    version: z.string(),
    artifactUri: z.string(),
    precision: z.enum(PRECISIONS),
    parametersBillions: z.number(),
    parametersSource: z
      .enum(["given", "config"])
      .meta({ description: "Given by the caller, or estimated from the config." }),
    architecture: ModelArchitectureSchema,
    createdAt: z.string(),
  })
  .meta({ id: "ModelVersion" });

export const ModelSchema = z
  .object({ name: z.string(), versions: z.array(ModelVersionSchema), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: "Model" });

export const ModelListSchema = z.object({ items: z.array(ModelSchema) }).meta({ id: "ModelList" });

export const ListModelsQuery = z.object({
  limit: z.coerce
    .number()
    .int("limit must be a whole number")
    .min(1, "limit must be 1..500")
    .max(500, "limit must be 1..500")
    .default(100),
});

export const ModelNameParams = z.object({ name: ModelNameSchema });

/** Body → what the control plane stores; ValidationError naming `versions[i].<field>` when a version is incomplete. */
export function registrationOf(tenant: string, body: RegisterModelRequest): RegisterModelInput {
  const seen = new Set<string>();
  const versions = body.versions.map((v, i) => {
    const at = `versions[${i}]`;
    if (seen.has(v.version)) throw new ValidationError(`${at}.version`, `"${v.version}" is listed twice`);
    seen.add(v.version);
    const artifactUri = checkArtifactUri(v.artifactUri, `${at}.artifactUri`);
    let architecture: ModelArchitecture;
    let estimate: number | undefined;
    if (v.config !== undefined) {
      if (v.architecture !== undefined) {
        throw new ValidationError(`${at}.architecture`, "give either config or architecture, not both");
      }
      const parsed = parseModelConfig(v.config, `${at}.config`);
      architecture = parsed.architecture;
      estimate = parsed.estimatedParametersBillions;
    } else if (v.architecture !== undefined) {
      architecture = v.architecture;
    } else {
      throw new ValidationError(`${at}.config`, "missing; give the model's Hugging Face config.json (or architecture)");
    }
    const parametersBillions = v.parametersBillions ?? estimate;
    if (parametersBillions === undefined) {
      throw new ValidationError(
        `${at}.parametersBillions`,
        "missing, and the config has no vocab_size/intermediate_size to estimate it from; state it",
      );
    }
    return {
      version: v.version,
      artifactUri,
      precision: v.precision,
      parametersBillions,
      parametersSource: v.parametersBillions !== undefined ? ("given" as const) : ("config" as const),
      architecture,
    };
  });
  return { tenant, name: body.name, versions };
}
