// @ts-check
/** A quote: the ranked placements, the expansions outside the platform, and the warnings. */
import { api, isObject } from "../api.js";
import { field, h, hourly, money, replace, table } from "../dom.js";
import { modelFields, modelRequest } from "./shared.js";

/**
 * @param {HTMLElement} main
 * @param {import("../app.js").Route} route
 */
export function quotePage(main, route) {
  const f = modelFields("quote");
  const replicas = h("input", { id: "quote-replicas", name: "replicas", type: "number", min: "1", value: "1" });
  const hours = h("input", {
    id: "quote-hours",
    name: "activeHoursPerDay",
    type: "number",
    min: "1",
    max: "24",
    value: "24",
  });
  const submit = h("button", { type: "submit" }, "Quote");
  const result = h("section", { "aria-labelledby": "quote-result-title", "aria-live": "polite" });
  const form = h(
    "form",
    { "aria-labelledby": "quote-title", class: "card compact" },
    h("h1", { id: "quote-title" }, "Quote a model"),
    h(
      "p",
      {},
      "Ranked by the month from the price catalog: a node bills 24 h a day, serverless only its active hours.",
    ),
    field("Model name", f.name),
    field("Parameters (billions)", f.params),
    field("Precision", f.precision),
    field("Context tokens", f.context),
    field("Replicas", replicas),
    field("Active hours per day", hours, "Serverless bills only these."),
    field("Capacity", f.capacity),
    submit,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      const { model, constraints } = modelRequest(f);
      const q = await api("POST", "/v1/quotes", {
        body: {
          model,
          constraints,
          replicas: Number(replicas.value || "1"),
          activeHoursPerDay: Number(hours.value || "24"),
        },
      });
      showQuote(result, q);
    } catch (err) {
      route.fail(err);
    } finally {
      submit.disabled = false;
    }
  });
  replace(main, form, result);
}

/**
 * @param {HTMLElement} el
 * @param {Record<string, any>} q
 */
function showQuote(el, q) {
  const req = isObject(q.requirement) ? q.requirement : {};
  const placements = Array.isArray(q.placements) ? q.placements : [];
  const expansions = Array.isArray(q.expansions) ? q.expansions : [];
  const warnings = Array.isArray(q.warnings) ? q.warnings : [];
  const catalog = isObject(q.catalog) ? q.catalog : {};
  replace(
    el,
    h("h2", { id: "quote-result-title" }, "Placements"),
    h(
      "p",
      {},
      `Needs ${Number(req.totalGiB ?? 0).toFixed(1)} GiB of GPU memory per replica; `,
      `${String(q.feasibleCount ?? placements.length)} feasible; catalog ${String(catalog.version ?? "unknown")}, prices as of ${String(catalog.asOf ?? "unknown")}.`,
    ),
    placements.length === 0
      ? h("p", {}, "Nothing feasible under these constraints and the policy.")
      : table(
          "Ranked placements, cheapest per month first",
          ["#", "Cloud", "Region", "Instance", "GPUs", "Capacity", "$/hour", "$/month", "At rest", "At max", "Why"],
          placements.map((p, i) => [
            String(i + 1),
            String(p.cloud),
            String(p.region),
            String(p.instanceType ?? ""),
            `${String(p.gpuCount)}×${String(p.gpuType)}`,
            String(p.capacity),
            hourly(p.hourlyUsd),
            money(p.monthlyUsd),
            money(p.atRestMonthlyUsd),
            money(p.atMaxMonthlyUsd),
            h("details", {}, h("summary", {}, "why"), h("p", {}, String(p.why ?? ""))),
          ]),
          { numeric: [0, 6, 7, 8, 9] },
        ),
    h("h2", {}, "Expansions"),
    expansions.length === 0
      ? h("p", {}, "No cheaper region outside the platform's footprint.")
      : table(
          "Cheaper regions outside the platform, net of a new cluster's control plane",
          [
            "Cloud",
            "Region",
            "Instance",
            "GPUs",
            "Capacity",
            "$/month",
            "Control plane $/month",
            "Saves $/month",
            "Config entry",
          ],
          expansions.map((x) => [
            String(x.cloud),
            String(x.region),
            String(x.instanceType ?? ""),
            `${String(x.gpuCount)}×${String(x.gpuType)}`,
            String(x.capacity),
            money(x.monthlyUsd),
            money(x.controlPlaneMonthlyUsd),
            money(x.monthlySavingsUsd),
            h("details", {}, h("summary", {}, "entry"), h("pre", {}, JSON.stringify(x.configEntry, null, 2))),
          ]),
          { numeric: [5, 6, 7] },
        ),
    warnings.length ? h("h2", {}, "Warnings") : null,
    warnings.length
      ? h(
          "ul",
          {},
          warnings.map((w) => h("li", {}, String(w))),
        )
      : null,
  );
}
