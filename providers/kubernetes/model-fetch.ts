/**
 * How a pod gets its weights: an init container that copies the artifact from the ModelStore URI
 * into the pod's local cache, chosen by URI scheme (not by cloud: a GKE pod could read `s3://`).
 * `hf://org/repo` has no init container: the server downloads from the Hugging Face Hub itself.
 *
 * Each copier authenticates with the pod's workload identity (the service account annotated with
 * the store's reader identity): the AWS CLI and gcloud pick up the projected token on their own;
 * the Azure CLI logs in with the federated token the Azure workload-identity webhook injects
 * (`AZURE_CLIENT_ID`, `AZURE_TENANT_ID`, `AZURE_FEDERATED_TOKEN_FILE`).
 */
import { WEIGHTS_DIR, MODEL_MOUNT } from "./model-server";

/**
 * Copier images, pinned to exact versions (a moving tag such as `:stable` changes under a running
 * deployment). The gcloud tag `572.0.0-stable` was seen pinned in a public repository's script on
 * 2026-11-30 (gcr.io/google.com/cloudsdktool/google-cloud-cli tags are `<version>-<variant>`);
 * re-read the registry before upgrading.
 */
export const FETCH_IMAGES = {
  s3: "amazon/aws-cli:2.31.0",
  gs: "gcr.io/google.com/cloudsdktool/google-cloud-cli:572.0.0-stable",
  azblob: "mcr.microsoft.com/azure-cli:2.78.0",
} as const;

export interface InitContainerSpec {
  name: string;
  image: string;
  command: string[];
  volumeMounts: Array<{ name: string; mountPath: string }>;
}

/** Where the server reads the model from, and the init container (if any) that puts it there. */
export interface FetchPlan {
  /** `--model` for the server: WEIGHTS_DIR, or a Hub repo id for `hf://`. */
  modelPath: string;
  initContainer?: InitContainerSpec;
  /** The URI scheme that chose the plan. */
  scheme: "s3" | "gs" | "azblob" | "hf";
}

const AZURE_BLOB =
  /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?)(?:\/(.*))?$/;
const SAFE_URI = /^[A-Za-z0-9:/._~+=@%-]+$/;

/** A Hugging Face Hub repo id, `org/repo` (what follows `hf://`). */
export const HUB_REPO_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

const mounts = [{ name: "model-cache", mountPath: MODEL_MOUNT }];

/** A plan that copies the weights into WEIGHTS_DIR with the scheme's copier image running `command`. */
function copyPlan(scheme: keyof typeof FETCH_IMAGES, command: string[]): FetchPlan {
  return {
    scheme,
    modelPath: WEIGHTS_DIR,
    initContainer: { name: "fetch-model", image: FETCH_IMAGES[scheme], command, volumeMounts: mounts },
  };
}

/** Build the fetch plan for `uri`; throws an Error naming the problem for an unsupported URI. */
export function fetchPlan(uri: string): FetchPlan {
  if (!SAFE_URI.test(uri)) {
    throw new Error(
      `"${uri}" contains characters not allowed in a model URI (allowed: letters, digits, : / . _ ~ + = @ % -)`,
    );
  }
  const trimmed = uri.replace(/\/+$/, "");
  if (trimmed.startsWith("s3://")) {
    return copyPlan("s3", ["aws", "s3", "sync", "--only-show-errors", `${trimmed}/`, `${WEIGHTS_DIR}/`]);
  }
  if (trimmed.startsWith("gs://")) {
    return copyPlan("gs", [
      "sh",
      "-c",
      `mkdir -p '${WEIGHTS_DIR}' && gcloud storage rsync --recursive '${trimmed}' '${WEIGHTS_DIR}'`,
    ]);
  }
  const blob = AZURE_BLOB.exec(trimmed);
  if (blob) {
    const [, account, container, prefix] = blob;
    const pattern = prefix ? ` --pattern '${prefix}/*'` : "";
    const script = [
      "set -eu",
      'az login --service-principal -u "$AZURE_CLIENT_ID" -t "$AZURE_TENANT_ID" --federated-token "$(cat "$AZURE_FEDERATED_TOKEN_FILE")" --output none',
      `mkdir -p '${MODEL_MOUNT}/blob'`,
      `az storage blob download-batch --auth-mode login --account-name '${account}' --source '${container}' --destination '${MODEL_MOUNT}/blob'${pattern} --output none`,
      prefix ? `mv '${MODEL_MOUNT}/blob/${prefix}' '${WEIGHTS_DIR}'` : `mv '${MODEL_MOUNT}/blob' '${WEIGHTS_DIR}'`,
    ].join("\n");
    return copyPlan("azblob", ["sh", "-c", script]);
  }
  if (trimmed.startsWith("hf://")) {
    const repo = trimmed.slice("hf://".length);
    if (!HUB_REPO_RE.test(repo)) {
      throw new Error(`"${uri}" is not a Hugging Face repo URI; use hf://<org>/<repo>`);
    }
    return { scheme: "hf", modelPath: repo };
  }
  throw new Error(
    `"${uri}" has an unsupported scheme; use s3://, gs://, https://<account>.blob.core.windows.net/<container>/..., or hf://<org>/<repo>`,
  );
}

/**
 * The artifact URI of a model: `source` itself when it is a URI, else `source` (default
 * `<name>/<version>`) under the platform store's URI.
 */
export function artifactUri(storeUri: string, source: string | undefined, name: string, version: string): string {
  if (source && /^[a-z][a-z0-9+.-]*:\/\//.test(source)) return source;
  const safe = (part: string) => part.replace(/[^A-Za-z0-9._-]+/g, "-");
  const path = (source ?? `${safe(name)}/${safe(version)}`).replace(/^\/+|\/+$/g, "");
  return `${storeUri.replace(/\/+$/, "")}/${path}`;
}
