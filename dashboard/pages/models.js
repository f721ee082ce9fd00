// @ts-check
/** The model registry: the tenant's models, one model's versions, and registering a version. */
import { api } from "../api.js";
import { field, h, replace, table, when } from "../dom.js";

/**
 * @typedef {{ version: string, artifactUri: string, precision: string, parametersBillions: number,
 *   parametersSource: string, architecture: Record<string, number>, createdAt: string }} ModelVersion
 * @typedef {{ name: string, versions: ModelVersion[], createdAt: string, updatedAt: string }} Model
 */

/**
 * @param {HTMLElement} main
 * @param {import("../app.js").Route} route
 */
export async function modelsPage(main, route) {
  const region = h("div", { "aria-live": "polite" }, h("p", {}, "Loading models…"));
  const json = h("textarea", { id: "model-json", name: "model", rows: "16", cols: "60", spellcheck: "false" });
  // A working example (Llama 3.1 8B's config.json values); `config` may replace `architecture`.
  json.value = JSON.stringify(
    {
      name: "llama-3.1-8b-instruct",
      versions: [
        {
          version: "1",
          artifactUri: "hf://meta-llama/Llama-3.1-8B-Instruct",
          precision: "bf16",
          parametersBillions: 8,
          architecture: {
            layers: 32,
            attentionHeads: 32,
            kvHeads: 8,
            headDim: 128,
            hiddenSize: 4096,
            maxContextTokens: 131072,
          },
        },
      ],
    },
    null,
    2,
  );
  const submit = h("button", { type: "submit" }, "Register");
  const form = h(
    "form",
    { "aria-labelledby": "register-title", class: "card" },
    h("h2", { id: "register-title" }, "Register a model"),
    field(
      "Registration (JSON: name and versions; a version's config may be its Hugging Face config.json instead of architecture)",
      json,
      "POST /v1/models; see docs/api.md#the-model-registry.",
    ),
    submit,
  );
  const load = async () => {
    /** @type {{ items: Model[] }} */
    const r = await api("GET", "/v1/models");
    if (r.items.length === 0) {
      replace(region, h("p", {}, "No models registered yet."));
      return;
    }
    replace(
      region,
      table(
        `${r.items.length} model${r.items.length === 1 ? "" : "s"}`,
        ["Name", "Versions", "Newest", "Precision", "Parameters (B)", "Artifact", "Updated"],
        r.items.map((m) => {
          const v = m.versions[m.versions.length - 1];
          return [
            h("a", { href: `#/models/${encodeURIComponent(m.name)}` }, m.name),
            String(m.versions.length),
            v?.version ?? "",
            v?.precision ?? "",
            v ? String(v.parametersBillions) : "",
            v ? h("code", {}, v.artifactUri) : "",
            when(m.updatedAt),
          ];
        }),
        { numeric: [1, 4] },
      ),
    );
  };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      /** @type {unknown} */
      let body;
      try {
        body = JSON.parse(json.value);
      } catch (err) {
        throw new Error(`the registration is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      await api("POST", "/v1/models", { body });
      await load();
    } catch (err) {
      route.fail(err);
    } finally {
      submit.disabled = false;
    }
  });
  replace(main, h("h1", {}, "Model registry"), region, form);
  await load();
}

/**
 * @param {HTMLElement} main
 * @param {import("../app.js").Route} route
 */
export async function modelPage(main, route) {
  const name = String(route.path[1]);
  /** @type {Model} */
  const m = await api("GET", `/v1/models/${encodeURIComponent(name)}`);
  replace(
    main,
    h("p", {}, h("a", { href: "#/models" }, "← All models")),
    h("h1", {}, `Model ${m.name}`),
    table(
      "Versions",
      [
        "Version",
        "Precision",
        "Parameters (B)",
        "Source",
        "Layers",
        "KV heads",
        "Head dim",
        "Max context",
        "Experts",
        "Artifact",
        "Created",
      ],
      m.versions.map((v) => [
        v.version,
        v.precision,
        String(v.parametersBillions),
        v.parametersSource,
        String(v.architecture.layers),
        String(v.architecture.kvHeads),
        String(v.architecture.headDim),
        String(v.architecture.maxContextTokens),
        v.architecture.experts === undefined ? "—" : String(v.architecture.experts),
        h("code", {}, v.artifactUri),
        when(v.createdAt),
      ]),
      { numeric: [2, 4, 5, 6, 7, 8] },
    ),
    h(
      "p",
      {},
      `Deploy it: `,
      h("code", {}, `model: {"ref": "${m.name}@${m.versions[m.versions.length - 1]?.version ?? ""}"}`),
    ),
  );
}
