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
        ["Deployment", "Now", "Recommended", "Now $/month", "Then $/month", "Saves $/month", "Why", "Action"],
        items.map((x) => {
          const depId = String(x.deploymentId ?? x.deployment?.id ?? "");
          const button = h("button", { type: "button" }, "Migrate");
          button.addEventListener("click", async () => {
            button.disabled = true;
            try {
              /** @type {Record<string, unknown>} */
              const body = x.id !== undefined ? { recommendationId: x.id } : {};
              await api("POST", `/v1/deployments/${encodeURIComponent(depId)}/migrate`, {
                body,
                headers: { "Idempotency-Key": idempotencyKey() },
              });
              route.go(`#/deployments/${encodeURIComponent(depId)}`);
            } catch (err) {
              button.disabled = false;
              route.fail(err);
            }
          });
          return [
            depId
              ? h(
                  "a",
                  { href: `#/deployments/${encodeURIComponent(depId)}` },
                  String(x.deploymentName ?? x.name ?? depId),
                )
              : "",
            placementText(x.current ?? x.from),
            placementText(x.recommended ?? x.to ?? x.placement),
            money(x.currentMonthlyUsd ?? x.current?.monthlyUsd),
            money(x.recommendedMonthlyUsd ?? x.recommended?.monthlyUsd),
            money(x.monthlySavingsUsd ?? x.savingsMonthlyUsd),
            String(x.why ?? x.reason ?? ""),
            canMigrate && depId ? button : "migrate: not offered by this server",
          ];
        }),
        { numeric: [3, 4, 5] },
      ),
    );
  };
  await load();
}
