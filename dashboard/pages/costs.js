// @ts-check
/**
 * Costs: the ledger summed by tenant, cost center, model or cloud over a range, as a bar chart
 * (Chart.js, loaded only on this page) and the same numbers as a table.
 */
import { api } from "../api.js";
import { field, h, money, replace, select, table } from "../dom.js";

/** @type {Promise<typeof import("chart.js").Chart> | undefined} */
let chartLib;

/** Chart.js's UMD build, vendored by the server from node_modules (exact version in package.json). */
function loadChart() {
  chartLib ??= new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = "/dashboard/vendor/chart.umd.min.js";
    s.onload = () => {
      const lib = /** @type {{ Chart?: typeof import("chart.js").Chart }} */ (/** @type {unknown} */ (window)).Chart;
      if (lib) resolve(lib);
      else reject(new Error("Chart.js loaded but did not define Chart"));
    };
    s.onerror = () => reject(new Error("could not load /dashboard/vendor/chart.umd.min.js"));
    document.head.append(s);
  });
  return chartLib;
}

/** @param {Date} d */
const day = (d) => d.toISOString().slice(0, 10);

/**
 * @param {HTMLElement} main
 * @param {import("../app.js").Route} route
 */
export function costsPage(main, route) {
  const now = new Date();
  const groupBy = select(
    "costs-group",
    [
      ["tenant", "tenant"],
      ["costCenter", "cost center"],
      ["model", "model"],
      ["cloud", "cloud"],
    ],
    "model",
  );
  const from = h("input", {
    id: "costs-from",
    type: "date",
    value: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))),
  });
  const to = h("input", { id: "costs-to", type: "date", value: day(new Date(now.getTime() + 86_400_000)) });
  const submit = h("button", { type: "submit" }, "Show");
  const out = h("section", { "aria-labelledby": "costs-result-title", "aria-live": "polite" });
  const form = h(
    "form",
    { "aria-labelledby": "costs-title", class: "card inline" },
    h("h1", { id: "costs-title" }, "Costs"),
    h("p", {}, "Accrued by the hour from the price catalog (the cost ledger), in USD."),
    field("Group by", groupBy),
    field("From", from),
    field("To (exclusive)", to),
    submit,
  );
  /** @type {import("chart.js").Chart | undefined} */
  let chart;
  const show = async () => {
    const q = new URLSearchParams({ groupBy: groupBy.value, from: from.value, to: to.value });
    const r = await api("GET", `/v1/costs?${q.toString()}`);
    /** @type {{ key: string, usd: number, hours: number, catalogVersion: string }[]} */
    const rows = r.rows;
    chart?.destroy();
    chart = undefined;
    const canvas = h("canvas", {
      id: "costs-chart",
      role: "img",
      "aria-label": `Cost by ${groupBy.value}, bar chart; the table below has the numbers`,
    });
    replace(
      out,
      h("h2", { id: "costs-result-title" }, `Total ${money(r.totalUsd)} from ${from.value} to ${to.value}`),
      rows.length === 0 ? h("p", {}, "No cost accrued in this range.") : h("div", { class: "chart" }, canvas),
      table(
        `Cost by ${groupBy.value}`,
        [groupBy.value, "USD", "Hours", "Catalog"],
        rows.map((x) => [x.key, money(x.usd), String(x.hours), x.catalogVersion]),
        { numeric: [1, 2] },
      ),
    );
    if (rows.length === 0) return;
    const Chart = await loadChart();
    if (route.signal.aborted) return;
    chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map((x) => (x.key.length > 40 ? `${x.key.slice(0, 39)}…` : x.key)),
        datasets: [{ label: "USD", data: rows.map((x) => x.usd), backgroundColor: "#2563eb" }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
      },
    });
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    show().catch(route.fail);
  });
  route.signal.addEventListener("abort", () => chart?.destroy());
  replace(main, form, out);
  return show();
}
