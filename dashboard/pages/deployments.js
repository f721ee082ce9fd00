// @ts-check
/**
 * Deployments: the tenant's list (status, placement, $/month, endpoint), refreshed while any is
 * in progress; one deployment with its live events (SSE over fetch) and a delete button.
 */
import { api, followEvents, isObject } from "../api.js";
import { h, money, replace, table, when } from "../dom.js";
import { endpointOf, endpointText, placementText, SETTLED, statusBadge, unverifiedReason } from "./shared.js";

/**
 * @param {HTMLElement} main
 * @param {import("../app.js").Route} route
 */
export async function deploymentsPage(main, route) {
  const region = h("div", { "aria-live": "polite", "aria-busy": "true" }, h("p", {}, "Loading deployments…"));
  replace(
    main,
    h("h1", {}, "Deployments"),
    h("p", {}, h("a", { href: "#/deploy", class: "button" }, "Deploy a model")),
    region,
  );
  const load = async () => {
    /** @type {{ items: Record<string, unknown>[] }} */
    const list = await api("GET", "/v1/deployments?limit=200");
    region.setAttribute("aria-busy", "false");
    if (list.items.length === 0) {
      replace(region, h("p", {}, "No deployments yet. ", h("a", { href: "#/deploy" }, "Deploy a model"), "."));
      return list.items;
    }
    const rows = list.items.map((d) => {
      const ep = endpointOf(d);
      return [
        h("a", { href: `#/deployments/${encodeURIComponent(String(d.id))}` }, String(d.name)),
        String(d.model ?? ""),
        String(d.tenant ?? ""),
        String(d.environment ?? ""),
        statusBadge(d.status),
        placementText(d.placement),
        money(typeof d.estimatedMonthlyUsd === "number" ? d.estimatedMonthlyUsd : null),
        ep ? endpointText(ep) : "—",
        when(typeof d.createdAt === "string" ? d.createdAt : null),
      ];
    });
    replace(
      region,
      table(
        `${list.items.length} deployment${list.items.length === 1 ? "" : "s"}`,
        ["Name", "Model", "Tenant", "Environment", "Status", "Placement", "$/month", "Endpoint", "Created"],
        rows,
        { numeric: [6] },
      ),
    );
    return list.items;
  };
  let items = await load();
  route.rendered();
  // Refresh while anything is in progress; the page's signal ends it.
  while (!route.signal.aborted && items.some((d) => !SETTLED.includes(String(d.status)))) {
    await new Promise((r) => setTimeout(r, 3000));
    if (route.signal.aborted) return;
    items = await load();
  }
}

/**
 * @param {HTMLElement} main
 * @param {import("../app.js").Route} route
 */
export async function deploymentPage(main, route) {
  const id = String(route.path[1]);
  /** @type {Record<string, unknown>} */
  let d = await api("GET", `/v1/deployments/${encodeURIComponent(id)}`);
  const status = h("span", { id: "deployment-status" }, statusBadge(d.status));
  const facts = h("dl", { class: "facts" });
  const events = h("ol", { id: "events", class: "events", "aria-live": "polite", "aria-relevant": "additions" });
  const del = h("button", { type: "button", class: "danger" }, "Delete");
  del.addEventListener("click", async () => {
    if (!confirm(`Delete ${String(d.name)}? Its stack is destroyed.`)) return;
    try {
      await api("DELETE", `/v1/deployments/${encodeURIComponent(id)}`);
    } catch (err) {
      route.fail(err);
    }
  });
  const showFacts = () => {
    const ep = endpointOf(d);
    /** @type {[string, import("../dom.js").Child][]} */
    const rows = [
      ["Status", status],
      ["Model", String(d.model ?? "")],
      ["Tenant", String(d.tenant ?? "")],
      ["Environment", String(d.environment ?? "")],
      ["Placement", placementText(d.placement)],
      ["Why here", isObject(d.placement) ? String(d.placement.why ?? "") : ""],
      ["Estimated $/month", money(typeof d.estimatedMonthlyUsd === "number" ? d.estimatedMonthlyUsd : null)],
      ["Endpoint", endpointText(ep)],
      ["Stack", String(d.stackName ?? "")],
      ["Created", when(typeof d.createdAt === "string" ? d.createdAt : null)],
    ];
    const unverified = unverifiedReason(d);
    if (unverified !== undefined) {
      rows.push(["Unverified", `applied, but the control plane could not see it serve: ${unverified}`]);
    }
    if (ep?.url !== undefined && ep.reason) rows.push(["No external endpoint", ep.reason]);
    if (ep?.curl) rows.push(["Call it", h("pre", {}, h("code", {}, ep.curl))]);
    if (isObject(d.outputs) && d.outputs.simulated === true) {
      rows.push(["Dry run", String(d.outputs.note ?? "planned offline, nothing was created")]);
    }
    if (isObject(d.error)) rows.push(["Error", String(d.error.message ?? JSON.stringify(d.error))]);
    replace(
      facts,
      rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
    );
  };
  showFacts();
  replace(
    main,
    h("p", {}, h("a", { href: "#/deployments" }, "← All deployments")),
    h("h1", {}, `Deployment ${String(d.name)}`),
    facts,
    h("p", {}, del),
    h("h2", { id: "events-title" }, "Events"),
    h("p", { id: "events-state" }, "Following live…"),
    events,
  );
  events.setAttribute("aria-labelledby", "events-title");
  route.rendered();
  const state = /** @type {HTMLElement} */ (main.querySelector("#events-state"));
  const stop = new AbortController();
  route.signal.addEventListener("abort", () => stop.abort());
  await followEvents(
    id,
    (e) => {
      events.append(h("li", { "data-type": e.type }, h("time", { datetime: e.at }, when(e.at)), " ", describe(e)));
      if (e.type === "status" && typeof e.data.status === "string") {
        replace(status, statusBadge(e.data.status));
        // Settled: refresh the facts (outputs, endpoint) and keep listening (a delete or an
        // update starts a new operation on the same stream) until the page is left.
        replace(state, SETTLED.includes(e.data.status) ? `Settled: ${e.data.status}.` : "Following live…");
        if (SETTLED.includes(e.data.status)) {
          void api("GET", `/v1/deployments/${encodeURIComponent(id)}`).then((fresh) => {
            d = fresh;
            showFacts();
          }, route.fail);
        }
      }
    },
    stop.signal,
    route.fail,
  );
}

/**
 * One event in words.
 * @param {import("../api.js").DeploymentEvent} e
 */
function describe(e) {
  const data = e.data;
  if (e.type === "status")
    return `status → ${String(data.status)}${data.operation ? ` (${String(data.operation)})` : ""}${typeof data.reason === "string" ? `: ${data.reason}` : ""}`;
  if (e.type === "engine") {
    const pre =
      isObject(data.resourcePreEvent) && isObject(data.resourcePreEvent.metadata)
        ? data.resourcePreEvent.metadata
        : undefined;
    if (pre)
      return `${data.simulated ? "would " : ""}${String(pre.op)} ${String(pre.type)} ${String(pre.urn).split("::").pop()}`;
    return "engine event";
  }
  if (e.type === "summary") {
    return `${String(data.kind ?? "")} ${String(data.result ?? "")} ${isObject(data.changes) ? JSON.stringify(data.changes) : ""}${typeof data.reason === "string" ? ` (${data.reason})` : ""}`;
  }
  if (typeof data.message === "string") return `${e.type}: ${data.message}`;
  return `${e.type}: ${JSON.stringify(data)}`;
}
