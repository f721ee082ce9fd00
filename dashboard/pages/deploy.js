// @ts-check
/** Deploy a model through a form: POST /v1/deployments, then its page with the live events. */
import { api, idempotencyKey } from "../api.js";
import { field, h, replace, select } from "../dom.js";
import { modelFields, modelRequest } from "./shared.js";

/**
 * @param {HTMLElement} main
 * @param {import("../app.js").Route} route
 */
export function deployPage(main, route) {
  const f = modelFields("deploy");
  const name = h("input", {
    id: "deploy-name",
    name: "name",
    maxlength: "63",
    pattern: "[a-z0-9]([a-z0-9\\-]*[a-z0-9])?",
  });
  const environment = select("deploy-environment", ["dev", "staging", "production"], "dev");
  const replicas = h("input", { id: "deploy-replicas", name: "replicas", type: "number", min: "1", value: "1" });
  const submit = h("button", { type: "submit" }, "Deploy");
  const form = h(
    "form",
    { "aria-labelledby": "deploy-title", class: "card compact" },
    h("h1", { id: "deploy-title" }, "Deploy a model"),
    h(
      "p",
      {},
      "The server prices every placement, checks policy, and runs the cheapest one that fits. ",
      "A registered model can be named as name@version (its architecture comes from the registry).",
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Model"),
      field("Model name, or name@version from the registry", f.name),
      field("Parameters (billions)", f.params, "Not needed for name@version."),
      field("Precision", f.precision),
      field("Context tokens", f.context),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Deployment"),
      field("Deployment name (optional)", name, "a-z, 0-9 and -; default: the model name, slugged."),
      field("Environment", environment),
      field("Replicas", replicas),
      field("Capacity", f.capacity),
    ),
    submit,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      const { model, constraints } = modelRequest(f);
      /** @type {Record<string, unknown>} */
      const body = { model, constraints, environment: environment.value, replicas: Number(replicas.value || "1") };
      if (name.value.trim() !== "") body.name = name.value.trim();
      const created = await api("POST", "/v1/deployments", {
        body,
        headers: { "Idempotency-Key": idempotencyKey() },
      });
      route.go(`#/deployments/${encodeURIComponent(String(created.id))}`);
    } catch (err) {
      route.fail(err);
    } finally {
      submit.disabled = false;
    }
  });
  replace(main, form);
}
