/** The human table of a quote (`modelplane quote` without `--json`). */
import { activeHoursPerMonth } from "../../platform/core/schedule";
import type { MixPlacement, QuoteResult } from "../../platform/core/optimizer";

const money = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(n < 10 ? 4 : 2));

function table(header: string[], rows: string[][], rightFrom: number): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const fmt = (row: string[]): string =>
    row
      .map((cell, c) => (c >= rightFrom ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

export function formatQuote(result: QuoteResult): string {
  const r = result.requirement;
  const lines = [
    `${result.request.model.name}: needs ${r.totalGiB.toFixed(1)} GiB of GPU memory per replica ` +
      `(weights ${r.weightsGiB.toFixed(1)} + KV cache ${r.kvCacheGiB.toFixed(1)} + overhead ${r.overheadGiB.toFixed(1)}, at ${Math.round(r.utilization * 100)}% utilization)`,
    `catalog ${result.catalog.version}, prices as of ${result.catalog.asOf}`,
  ];
  if (result.footprint) {
    lines.push(
      `${result.scope === "footprint" ? "placing inside the footprint" : "footprint known, placing anywhere"}: ` +
        result.footprint.clusters.map((c) => `${c.cloud} ${c.region}`).join(", "),
    );
  }
  lines.push("");
  const inFootprint = result.scope === "footprint";
  if (result.infeasible) {
    lines.push(`no feasible placement: ${result.infeasible.message}`);
  } else {
    const header = ["#", "cloud", "region", "instance", "gpus", "capacity"];
    if (inFootprint) header.push("pool");
    const workload = result.request.workload;
    const right = workload ? 8 : 4;
    if (workload) header.push("replicas", "$/M tok", "TTFT ms", "TPOT ms");
    header.push("$/hour", "$/month", "at rest", "at max");
    const rows = result.placements.map((p, i) => {
      const mix = "mix" in p ? (p as MixPlacement).mix : undefined;
      const shape = mix ? mix.map((m) => `${m.replicas}×${m.instanceType}`).join(" + ") : p.instanceType;
      const gpus = mix ? mix.map((m) => `${m.gpuCount}×${m.gpuType}`).join(" + ") : `${p.gpuCount}×${p.gpuType}`;
      const row = [String(i + 1), p.cloud, p.region, shape, gpus, p.capacity];
      // A pool whose node carries several replicas says how many (the $/hour bills the nodes they need).
      const shared = p.replicasPerNode !== undefined ? ` (${p.replicasPerNode}/node)` : "";
      if (inFootprint)
        row.push(p.pool !== undefined ? `${p.pool}${shared}` : p.capacity === "serverless" ? "-" : "new");
      if (workload) {
        row.push(
          String(p.replicas),
          p.usdPerMillionTokens === undefined ? "-" : p.usdPerMillionTokens.toFixed(p.usdPerMillionTokens < 1 ? 3 : 2),
          p.predicted ? p.predicted.ttftMs.toFixed(0) : "-",
          p.predicted ? p.predicted.tpotMs.toFixed(1) : "-",
        );
      }
      row.push(money(p.hourlyUsd), money(p.monthlyUsd), money(p.atRestMonthlyUsd), money(p.atMaxMonthlyUsd));
      return row;
    });
    lines.push(...table(header, rows, header.length - right), "");
    const sized = workload
      ? `replicas sized for ${workload.requestsPerSecond} req/s of ${workload.inputTokens}+${workload.outputTokens} tokens by the performance model (docs/performance.md)`
      : `${result.request.replicas} replica(s)`;
    const hours = result.request.schedule
      ? `scheduled ${scheduleHours(result.request.schedule)} h/month in ${result.request.schedule.timezone}: 0 replicas outside the windows, nodes bill only those hours`
      : `${result.request.activeHoursPerDay} active h/day: nodes bill 24 h, serverless only its active hours`;
    lines.push(
      `${result.feasibleCount} feasible placements; ${result.placements.length} shown, ranked by $/month (${sized}, ${hours})`,
    );
    const top = result.placements[0];
    if (top?.why) lines.push(`why #1: ${top.why}`);
    // A brought pool's figure is its declared chargeback price, not a market price: say so per row.
    result.placements.forEach((p, i) => {
      if (p.pricing) lines.push(`#${i + 1} ${p.cluster ?? ""}/${p.pool ?? ""} ${p.pricing.basis}: ${p.pricing.note}`);
    });
  }
  for (const p of result.pools ?? []) {
    lines.push(
      `pool ${p.cluster}/${p.pool} (${p.cloud} ${p.region}, ${p.capacity === "serverless" ? "serverless" : `${p.gpuCount}×${p.gpuType} ${p.capacity}`}): ` +
        (p.monthlyUsd === null ? "UNPRICED" : `$${money(p.monthlyUsd)}/month`) +
        ` — ${p.note}`,
    );
  }
  if (result.expansions && result.expansions.length) {
    lines.push("", "cheaper outside the footprint (net of a new cluster's control plane):");
    for (const e of result.expansions) {
      const saving =
        e.monthlySavingsUsd === null
          ? "fits where the footprint does not"
          : `saves $${money(e.monthlySavingsUsd)}/month`;
      lines.push(
        `  ${e.cloud} ${e.region}: ${e.instanceType} ${e.gpuCount}×${e.gpuType} ${e.capacity} $${money(e.monthlyUsd)}/month + $${money(e.controlPlaneMonthlyUsd)} control plane → ${saving}`,
        `    add to modelplane:clouds: ${JSON.stringify(e.configEntry)}`,
      );
    }
  }
  if (result.policy) {
    const shaped = result.policy.shapedBy;
    lines.push(
      `policy ${result.policy.source} (${result.policy.environment}): ` +
        (shaped.length
          ? shaped.map((s) => `${s.policy} left out ${s.excluded} (${s.rule})`).join("; ")
          : "left nothing out"),
    );
  }
  for (const x of result.excluded ?? []) lines.push(`note: skipped ${x.reason}`);
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}

function scheduleHours(s: Parameters<typeof activeHoursPerMonth>[0]): string {
  return activeHoursPerMonth(s).toFixed(1);
}
