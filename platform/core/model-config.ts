/**
 * Read a model's architecture from its Hugging Face `config.json` (pure). The fields are those of
 * transformers' `PretrainedConfig` subclasses (LlamaConfig, MixtralConfig, Qwen2Config, Gemma2Config):
 * https://huggingface.co/docs/transformers/main_classes/configuration (read 2026-11-30).
 *
 * - layers: `num_hidden_layers`; attention heads: `num_attention_heads`; hidden size: `hidden_size`;
 * - KV heads: `num_key_value_heads`, or the attention heads when absent (multi-head attention);
 * - head dim: `head_dim`, or `hidden_size / num_attention_heads`;
 * - max context: `max_position_embeddings`.
 *
 * Parameter estimate (when the caller gives no count), a decoder-only transformer with gated MLP:
 *   embeddings  = vocab_size × hidden (× 2 unless `tie_word_embeddings`: the LM head)
 *   attention   = hidden × heads × headDim (Q) + 2 × hidden × kvHeads × headDim (K, V) + heads × headDim × hidden (O)
 *   mlp         = experts × 3 × hidden × intermediate_size (gate, up, down) + hidden × experts (router, MoE only)
 *   total       = embeddings + layers × (attention + mlp)
 * where experts = `num_local_experts` (Mixtral; every expert is held in memory), else 1. Norms and
 * biases are left out (under 0.1 % for the models in fixtures/). Without `vocab_size` or
 * `intermediate_size` the count cannot be estimated and must be given.
 */
import { ValidationError } from "./validation";

export interface ModelArchitecture {
  /** Transformer layers (`num_hidden_layers`). */
  layers: number;
  /** Query attention heads (`num_attention_heads`). */
  attentionHeads: number;
  /** Key/value heads (`num_key_value_heads`; = attention heads when absent). */
  kvHeads: number;
  /** Dimension of one head (`head_dim`, or hidden size / attention heads). */
  headDim: number;
  /** Model width (`hidden_size`). */
  hiddenSize: number;
  /** Longest context the model was built for (`max_position_embeddings`), tokens. */
  maxContextTokens: number;
  /** Experts per MoE layer (`num_local_experts`); absent for dense models. */
  experts?: number;
}

export interface ParsedModelConfig {
  architecture: ModelArchitecture;
  /** Parameter estimate (billions, see the module comment), or undefined when the config lacks the fields. */
  estimatedParametersBillions?: number;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function positiveInt(config: Json, key: string, field: string, required: true): number;
function positiveInt(config: Json, key: string, field: string, required: false): number | undefined;
function positiveInt(config: Json, key: string, field: string, required: boolean): number | undefined {
  const v = config[key];
  if (v === undefined || v === null) {
    if (required) throw new ValidationError(`${field}.${key}`, `missing; a Hugging Face config.json states ${key}`);
    return undefined;
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0 || v > 100_000_000) {
    throw new ValidationError(`${field}.${key}`, `must be a positive whole number, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Parse `config` (a config.json object). `field` names it in errors (e.g. `versions[0].config`);
 * a missing or malformed needed field is a ValidationError naming `<field>.<key>`. Multimodal
 * configs that nest the language model under `text_config` are read from there.
 */
export function parseModelConfig(config: unknown, field = "config"): ParsedModelConfig {
  if (!isObject(config)) throw new ValidationError(field, "must be a config.json object");
  if (isObject(config["text_config"]) && config["num_hidden_layers"] === undefined) {
    return parseModelConfig(config["text_config"], `${field}.text_config`);
  }
  const layers = positiveInt(config, "num_hidden_layers", field, true);
  const hiddenSize = positiveInt(config, "hidden_size", field, true);
  const attentionHeads = positiveInt(config, "num_attention_heads", field, true);
  const kvHeads = positiveInt(config, "num_key_value_heads", field, false) ?? attentionHeads;
  if (attentionHeads % kvHeads !== 0) {
    throw new ValidationError(
      `${field}.num_key_value_heads`,
      `${kvHeads} does not divide num_attention_heads (${attentionHeads})`,
    );
  }
  let headDim = positiveInt(config, "head_dim", field, false);
  if (headDim === undefined) {
    if (hiddenSize % attentionHeads !== 0) {
      throw new ValidationError(
        `${field}.head_dim`,
        `missing, and hidden_size (${hiddenSize}) is not a multiple of num_attention_heads (${attentionHeads}); state head_dim`,
      );
    }
    headDim = hiddenSize / attentionHeads;
  }
  const maxContextTokens = positiveInt(config, "max_position_embeddings", field, true);
  const experts = positiveInt(config, "num_local_experts", field, false);
  const architecture: ModelArchitecture = {
    layers,
    attentionHeads,
    kvHeads,
    headDim,
    hiddenSize,
    maxContextTokens,
    ...(experts !== undefined && experts > 1 ? { experts } : {}),
  };
  const vocab = positiveInt(config, "vocab_size", field, false);
  const intermediate = positiveInt(config, "intermediate_size", field, false);
  if (vocab === undefined || intermediate === undefined) return { architecture };
  const tied = config["tie_word_embeddings"] === true;
  const e = experts ?? 1;
  const embeddings = vocab * hiddenSize * (tied ? 1 : 2);
  const attention = 2 * hiddenSize * attentionHeads * headDim + 2 * hiddenSize * kvHeads * headDim;
  const mlp = e * 3 * hiddenSize * intermediate + (e > 1 ? hiddenSize * e : 0);
  const total = embeddings + layers * (attention + mlp);
  return { architecture, estimatedParametersBillions: Math.round(total / 1e6) / 1e3 };
}

/** Where a model's weights live: s3://bucket/key, gs://bucket/key, https://…blob…, hf://org/repo. */
export function checkArtifactUri(uri: string, field: string): string {
  const fix =
    "use s3://bucket/path, gs://bucket/path, https://<account>.blob.core.windows.net/<container>/path or hf://org/repo";
  if (/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?$/.test(uri)) return uri;
  if (/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/\S*)?$/.test(uri)) return uri;
  if (/^hf:\/\/[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9._/-]+)?$/.test(uri)) return uri;
  if (uri.startsWith("https://")) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new ValidationError(field, `"${uri}" is not a URL; ${fix}`);
    }
    if (/\.blob\.core\.windows\.net$/.test(url.hostname) && url.pathname.length > 1 && url.username === "") return uri;
  }
  throw new ValidationError(field, `"${uri.slice(0, 200)}" is not a supported artifact URI; ${fix}`);
}

/** `name@version` → its parts; a ref without `@version` or with an empty part is an error naming `field`. */
export function parseModelRef(ref: string, field: string): { name: string; version: string } {
  const at = ref.lastIndexOf("@");
  const name = at > 0 ? ref.slice(0, at) : "";
  const version = at > 0 ? ref.slice(at + 1) : "";
  if (name === "" || version === "") {
    throw new ValidationError(field, `"${ref}" is not a model ref; write it as name@version, e.g. llama-3.1-8b@1`);
  }
  return { name, version };
}
