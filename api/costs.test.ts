/**
 * The cost ledger end to end: the real API and control plane (PGlite) with the dry-run engine and
 * an injected clock (no sleeps). A deployment simulated for N whole hours accrues N × its hourly
 * price as placed (estimatedMonthlyUsd / 730); groupBy sums; CSV; tenant isolation; bad params.
 */
import * as assert from "node:assert/strict";
import { DryRunEngine } from "../platform/service/engine/dry-run";
import { planDeployment } from "../platform/service/plan";
import { HOURS_PER_MONTH } from "../platform/core/types";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  eventually,
  makeKey,
  obj,
  serve,
  type Fixture,
  type RunningApi,
} from "./testing/harness";

const HOUR = 3_600_000;
const truncHour = (ms: number): number => Math.floor(ms / HOUR) * HOUR;

interface Placed {
  id: string;
  tenant: string;
  model: string;
  cloud: string;
  createdMs: number;
  hourlyUsd: number;
}

describe("GET /v1/costs: the cost ledger (dry-run engine, injected clock)", function () {
  this.timeout(120_000);
  let fx: Fixture;
  let api: RunningApi;
  let keyA: string;
  let keyB: string;
  let offsetMs = 0;
  const placed: Placed[] = [];
  const N = 5;
  /** The clock N whole hours after the hour `d` was created, one minute in. */
  const hoursAfter = (d: Placed, n: number): number => truncHour(d.createdMs) + n * HOUR + 60_000;

  async function deploy(key: string, tenant: string, model: string, costCenter: string): Promise<Placed> {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key,
      body: { model: { name: model, parametersBillions: 7, precision: "bf16", contextTokens: 4096 }, costCenter },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(obj(r.body)["id"]);
    const d = await eventually(async () => {
      const g = await call(api.base, "GET", `/v1/deployments/${id}`, { key });
      return ["simulated", "failed"].includes(String(obj(g.body)["status"])) ? obj(g.body) : undefined;
    }, 90_000);
    assert.equal(d["status"], "simulated", JSON.stringify(d["error"]));
    const p: Placed = {
      id,
      tenant,
      model,
      cloud: String(obj(d["placement"])["cloud"]),
      createdMs: Date.parse(String(d["createdAt"])),
      hourlyUsd: Number(d["estimatedMonthlyUsd"]) / HOURS_PER_MONTH,
    };
    assert.ok(p.hourlyUsd > 0, "a placed deployment has a price");
    return p;
  }

  before(async () => {
    // Planned against the dev platform's footprint (the fixture's), as `serve --dry-run` does.
    fx = await controlPlaneFixture({
      engine: new DryRunEngine((stack) => planDeployment(stack.spec, { footprint: fx.footprint })),
    });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
      clock: () => new Date(Date.now() + offsetMs),
    });
    keyA = (await makeKey(api.base, fx.adminKey, "team-a", "viewer")).secret;
    const deployerA = (await makeKey(api.base, fx.adminKey, "team-a", "deployer")).secret;
    keyB = (await makeKey(api.base, fx.adminKey, "team-b", "deployer")).secret;
    placed.push(await deploy(deployerA, "team-a", "mistral-7b", "research"));
    placed.push(await deploy(deployerA, "team-a", "llama-7b", "search"));
    placed.push(await deploy(keyB, "team-b", "mistral-7b", "ads"));
  });
  after(async () => {
    await api?.close();
    await fx?.close();
  });

  const range = (fromMs: number, toMs: number): string =>
    `from=${new Date(fromMs).toISOString()}&to=${new Date(toMs).toISOString()}`;

  it("a deployment simulated for N hours accrues N × its hourly price, and a later read adds nothing twice", async () => {
    const first = placed[0];
    assert.ok(first);
    const until = hoursAfter(first, N);
    offsetMs = until - Date.now();
    const q = `/v1/costs?groupBy=model&${range(first.createdMs - 2 * HOUR, until + HOUR)}`;
    for (let i = 0; i < 2; i++) {
      const r = await call(api.base, "GET", q, { key: keyA });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const body = obj(r.body);
      assert.equal(body["currency"], "USD");
      const rows = body["rows"] as { key: string; usd: number; hours: number; catalogVersion: string }[];
      const mistral = rows.find((x) => x.key === "mistral-7b");
      assert.ok(mistral, JSON.stringify(rows));
      assert.equal(mistral.hours, N);
      assert.ok(Math.abs(mistral.usd - N * first.hourlyUsd) < 1e-9, `${mistral.usd} vs ${N * first.hourlyUsd}`);
      assert.equal(mistral.catalogVersion, fx.catalog.version);
    }
  });

  it("groupBy sums each dimension; a tenant sees only its own rows, a platform-admin every tenant's", async () => {
    const latest = Math.max(...placed.map((p) => p.createdMs));
    const until = truncHour(latest) + 3 * HOUR + 60_000;
    offsetMs = until - Date.now();
    const earliest = Math.min(...placed.map((p) => p.createdMs));
    const span = range(truncHour(earliest), truncHour(until));
    const hoursOf = (p: Placed): number => (truncHour(until) - truncHour(p.createdMs)) / HOUR;
    const expected = (pick: (p: Placed) => boolean): number =>
      placed.filter(pick).reduce((s, p) => s + hoursOf(p) * p.hourlyUsd, 0);

    const byTenant = obj((await call(api.base, "GET", `/v1/costs?groupBy=tenant&${span}`, { key: fx.adminKey })).body);
    const tenants = byTenant["rows"] as { key: string; usd: number }[];
    for (const t of ["team-a", "team-b"]) {
      const row = tenants.find((x) => x.key === t);
      assert.ok(row && Math.abs(row.usd - expected((p) => p.tenant === t)) < 1e-9, JSON.stringify(tenants));
    }
    assert.ok(Math.abs(Number(byTenant["totalUsd"]) - expected(() => true)) < 1e-9);

    const cc = obj((await call(api.base, "GET", `/v1/costs?groupBy=costCenter&${span}`, { key: keyA })).body);
    const centers = (cc["rows"] as { key: string }[]).map((x) => x.key).sort();
    assert.deepEqual(centers, ["research", "search"], "team-a sees its cost centers only");

    const mine = obj((await call(api.base, "GET", `/v1/costs?groupBy=tenant&${span}`, { key: keyA })).body);
    assert.deepEqual(
      (mine["rows"] as { key: string }[]).map((x) => x.key),
      ["team-a"],
    );
    const forbidden = await call(api.base, "GET", `/v1/costs?groupBy=tenant&tenant=team-b&${span}`, { key: keyA });
    assert.equal(forbidden.status, 403);
    const one = obj(
      (await call(api.base, "GET", `/v1/costs?groupBy=model&tenant=team-b&${span}`, { key: fx.adminKey })).body,
    );
    const bRows = one["rows"] as { key: string; usd: number }[];
    assert.equal(bRows.length, 1);
    assert.ok(Math.abs((bRows[0]?.usd ?? 0) - expected((p) => p.tenant === "team-b")) < 1e-9);

    const byCloud = obj((await call(api.base, "GET", `/v1/costs?groupBy=cloud&${span}`, { key: fx.adminKey })).body);
    for (const row of byCloud["rows"] as { key: string; usd: number }[]) {
      assert.ok(Math.abs(row.usd - expected((p) => p.cloud === row.key)) < 1e-9, row.key);
    }
  });

  it("answers CSV with Accept: text/csv: a header row, then one line per group", async () => {
    const first = placed[0];
    assert.ok(first);
    const r = await fetch(
      `${api.base}/v1/costs?groupBy=tenant&${range(first.createdMs - HOUR, first.createdMs + 400 * HOUR)}`,
      {
        headers: { authorization: `Bearer ${keyA}`, accept: "text/csv" },
      },
    );
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /^text\/csv/);
    const lines = (await r.text()).split("\r\n").filter((l) => l !== "");
    assert.equal(lines[0], "tenant,usd,hours,catalogVersion,currency");
    assert.equal(lines.length, 2);
    const cells = (lines[1] ?? "").split(",");
    assert.equal(cells[0], "team-a");
    assert.ok(Number(cells[1]) > 0);
    assert.equal(cells[3], fx.catalog.version);
    assert.equal(cells[4], "USD");
  });

  it("names the field of a bad groupBy, a bad date, from ≥ to and a range too long", async () => {
    const ok = "from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";
    const cases: [string, string, RegExp][] = [
      [`groupBy=region&${ok}`, "groupBy", /tenant, costCenter, model, cloud/],
      ["groupBy=tenant&from=yesterday&to=2026-02-01T00:00:00Z", "from", /ISO 8601/],
      ["groupBy=tenant&from=2026-01-01T00:00:00Z", "to", /required/],
      ["groupBy=tenant&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to", /after from/],
      ["groupBy=tenant&from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to", /at most 367 days/],
    ];
    for (const [q, field, message] of cases) {
      const r = await call(api.base, "GET", `/v1/costs?${q}`, { key: keyA });
      assert.equal(r.status, 400, q);
      const e = errorOf(r);
      assert.equal(e.field, field, `${q}: ${JSON.stringify(r.body)}`);
      assert.match(e.message, message, q);
    }
  });

  it("exports modelplane_cost_usd_total{tenant,model,cloud} from the ledger", async () => {
    const text = await (await fetch(`${api.base}/metrics`)).text();
    assert.match(text, /# TYPE modelplane_cost_usd_total counter/);
    const first = placed[0];
    assert.ok(first);
    const line = text
      .split("\n")
      .find((l) =>
        l.startsWith(`modelplane_cost_usd_total{tenant="team-a",model="mistral-7b",cloud="${first.cloud}"}`),
      );
    assert.ok(line, text);
    assert.ok(Number(line.split(" ").pop()) > 0);
  });

  it("shows the hour under way apart (openHour: each group's rate at its current state), never in rows or totalUsd", async () => {
    const latest = Math.max(...placed.map((p) => p.createdMs));
    const clock = truncHour(latest) + 7 * HOUR + 60_000;
    offsetMs = clock - Date.now();
    const hourStart = truncHour(clock);
    const mine = placed.filter((p) => p.tenant === "team-a");
    const earliest = Math.min(...mine.map((p) => p.createdMs));
    const r = await call(
      api.base,
      "GET",
      `/v1/costs?groupBy=model&${range(truncHour(earliest), hourStart + 2 * HOUR)}`,
      { key: keyA },
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const body = obj(r.body);
    const open = obj(body["openHour"]);
    assert.equal(open["from"], new Date(hourStart).toISOString());
    assert.equal(open["to"], new Date(hourStart + HOUR).toISOString());
    const openRows = open["rows"] as { key: string; usd: number; deployments: number }[];
    assert.deepEqual(
      openRows.map((x) => [x.key, x.deployments]),
      mine.map((p) => [p.model, 1]).sort(),
      "team-a's models only, one deployment each",
    );
    for (const p of mine) {
      const row = openRows.find((x) => x.key === p.model);
      assert.ok(row && Math.abs(row.usd - p.hourlyUsd) < 1e-9, `${p.model}: ${JSON.stringify(row)}`);
    }
    assert.ok(Math.abs(Number(open["totalUsd"]) - mine.reduce((s, p) => s + p.hourlyUsd, 0)) < 1e-9);
    // The ledger rows stop at the hour under way: whole hours only.
    const rows = body["rows"] as { key: string; hours: number }[];
    for (const p of mine) {
      assert.equal(rows.find((x) => x.key === p.model)?.hours, (hourStart - truncHour(p.createdMs)) / HOUR, p.model);
    }
    // A range that ends before the hour under way has no openHour.
    const past = obj(
      (await call(api.base, "GET", `/v1/costs?groupBy=model&${range(truncHour(earliest), hourStart)}`, { key: keyA }))
        .body,
    );
    assert.equal(past["openHour"], undefined);
  });
});
