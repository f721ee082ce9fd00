// @ts-check
/**
 * Recommendations: cheaper placements the server found for running deployments, with a migrate
 * button where the server has that operation. A server without the feature is said to lack it.
 */
import { api, hasOperation, idempotencyKey, isObject } from "../api.js";
import { h, money, replace, table } from "../dom.js";
import { placementText } from "./shared.js";

/**
 * @param {HTMLElement} main
 * @param {import("../app.js").Route} route
 */
export async function recommendationsPage(main, route) {
  const region = h("div", { "aria-live": "polite" }, h("p", {}, "Loading…"));
  replace(main, h("h1", {}, "Recommendations"), region);
  if (!(await hasOperation("get", "/v1/recommendations"))) {
    replace(
      region,
      h(
        "p",
        { id: "no-recommendations" },
        "This server has no recommendations: GET /v1/recommendations is not in its API document.",
      ),
    );
    return;
  }
  const canMigrate = await hasOperation("post", "/v1/deployments/{id}/migrate");
  const load = async () => {
    const r = await api("GET", "/v1/recommendations");
    /** @type {Record<string, any>[]} */
    const items = Array.isArray(r) ? r : isObject(r) && Array.isArray(r.items) ? r.items : [];
    if (items.length === 0) {
      replace(region, h("p", {}, "No recommendations: every deployment is on its cheapest placement."));
      return;
    }
    replace(
      region,
      table(
        `${items.length} recommendation${items.length === 1 ? "" : "s"}`,
        [
          "Deployment",
          "Now",
          "Proposed",
          "Now $/month",
          "Then $/month",
          "Saves $/month",
          "Reason",
          "Catalog",
          "Action",
        ],
        items.map((x) => {
          const depId = String(x.deploymentId ?? "");
          const button = h("button", { type: "button", "aria-label": `Migrate ${depId}` }, "Migrate");
          button.addEventListener("click", async () => {
            button.disabled = true;
            try {
              await api("POST", `/v1/deployments/${encodeURIComponent(depId)}/migrate`, {
                body: { recommendationId: String(x.id) },
                headers: { "Idempotency-Key": idempotencyKey() },
              });
              route.go(`#/deployments/${encodeURIComponent(depId)}`);
            } catch (err) {
              button.disabled = false;
              route.fail(err);
            }
          });
          const pct = typeof x.savingPct === "number" ? ` (${x.savingPct.toFixed(0)}%)` : "";
          return [
            h("a", { href: `#/deployments/${encodeURIComponent(depId)}` }, depId),
            placementText(x.current?.placement),
            placementText(x.proposed?.placement),
            money(x.current?.monthlyUsd),
            money(x.proposed?.monthlyUsd),
            `${money(x.savingMonthlyUsd)}${pct}`,
            String(x.reason ?? ""),
            String(x.catalogVersion ?? ""),
            canMigrate ? button : "migrate: not offered by this server",
          ];
        }),
        { numeric: [3, 4, 5] },
      ),
    );
  };
  await load();
}
