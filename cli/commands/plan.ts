/**
 * `modelplane plan FILE [--json] [--platform Pulumi.<stack>.yaml] [--policy-config FILE]
 *   [--catalog FILE] [--all] [--tenant T] [--owner O] [--cost-center C] [--environment E]`
 *
 * The offline plan of a stack: its resources, each one's price, the monthly total, every
 * cost-guard policy's verdict, and the real-cloud checks (Kubernetes schemas, add-on contract,
 * cloud name limits, serverless-GPU regions, GPU arithmetic) — without the Pulumi engine.
 * FILE is one of:
 * - a deployment spec (JSON with `placement`): plans that per-model stack;
 * - a quote request (JSON with `model`, no `placement`): quotes it, plans the top placement;
 * - a platform stack config (`Pulumi.<stack>.yaml`): plans the platform program.
 * A deployment is planned against the platform's footprint (`--platform Pulumi.<stack>.yaml`,
 * default `./Pulumi.dev.yaml` when it exists): a placement outside it exits 2 naming
 * `placement.region`; a quote request plans its top placement inside it.
 * `--platform` (deployments): plan that platform too, so the add-on contract is checked against
 * the add-ons it installs on the deployment's cluster.
 * `--json` prints the report with each resource's URN, inputs (secrets as "[secret]"), parent and
 * dependencies, the components, the stack's outputs and the findings.
 * Exit 0 when no mandatory policy is violated and no check found an error, 1 when one did (or
 * nothing is feasible), 2 bad input.
 */
import { existsSync } from "node:fs";
import type { Command } from "../main";
import { readJsonFile } from "../../platform/core/files";
import { parseOrThrow, ValidationError } from "../../platform/core/validation";
import { EnvironmentSchema } from "../../platform/core/schemas";
import { InfeasibleError } from "../../platform/core/errors";
import { isRecord } from "../../platform/core/resources/read";
import { catalogFrom, parseFlags, processIO, singlePositional, type CommandIO } from "./catalog";
import { describeFootprint, type Footprint } from "../../platform/core/footprint";

/** The platform config a deployment plan uses when `--platform` is not given, if it exists. */
export const DEFAULT_PLATFORM_CONFIG = "Pulumi.dev.yaml";

/** The footprint of `--platform FILE`, or of `./Pulumi.dev.yaml`; neither → ValidationError on `--platform`. */
async function footprintFor(
  file: string | undefined,
  catalog: import("../../platform/core/pricing/types").Catalog,
): Promise<Footprint> {
  const path = file ?? (existsSync(DEFAULT_PLATFORM_CONFIG) ? DEFAULT_PLATFORM_CONFIG : undefined);
  if (path === undefined) {
    throw new ValidationError(
      "--platform",
      `no platform to plan against: pass --platform Pulumi.<stack>.yaml (no ./${DEFAULT_PLATFORM_CONFIG} here)`,
    );
  }
  const { footprintFromConfigFile } = await import("../../programs/platform/footprint");
  return footprintFromConfigFile(path, catalog);
}

const USAGE =
  "usage: modelplane plan FILE [--json] [--platform FILE] [--policy-config FILE] [--catalog FILE] [--all] [--tenant T] [--owner O] [--cost-center C] [--environment dev|staging|production]\n" +
  "  FILE: a deployment spec (JSON with placement), a quote request (JSON; plans the top placement), or a Pulumi.<stack>.yaml platform config\n" +
  "  --platform FILE: the platform's Pulumi.<stack>.yaml a deployment must fit (default ./Pulumi.dev.yaml when it exists)\n";

/** What kind of file FILE is. */
export function inputKind(path: string, content: unknown): "platform" | "deployment" | "quote" {
  if (/\.ya?ml$/i.test(path)) return "platform";
  if (!isRecord(content))
    throw new ValidationError(
      "FILE",
      "must be a JSON object: a deployment spec (with placement) or a quote request (with model)",
    );
  if ("placement" in content) return "deployment";
  if ("model" in content) return "quote";
  throw new ValidationError("FILE", "is neither a deployment spec (needs placement) nor a quote request (needs model)");
}

type Report = import("../../platform/service/plan/report").PlanReport;

const usd = (n: number | null, digits = 2): string => (n === null ? "—" : n.toFixed(digits));

/** The human table of a plan. */
export function formatPlan(report: Report, opts: { all?: boolean; header?: string[] } = {}): string {
  const lines: string[] = [...(opts.header ?? [])];
  lines.push(
    `plan of stack ${report.stack} (${report.environment}); catalog ${report.catalog.version}, prices as of ${report.catalog.asOf}`,
    "",
  );
  const shown = opts.all ? report.resources : report.resources.filter((r) => !r.priced || (r.monthlyUsd ?? 0) > 0);
  const header = ["type", "name", "basis", "$/hour", "$/month"];
  const rows = shown.map((r) => [
    r.type,
    r.name,
    r.priced ? (r.basis ?? "") : "UNPRICED",
    usd(r.hourlyUsd, 4),
    usd(r.monthlyUsd),
  ]);
  rows.push(["total", "", "", usd(report.hourlyUsd, 4), usd(report.monthlyUsd)]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? "").length)));
  const fmt = (row: string[]): string =>
    row
      .map((cell, c) => (c >= 3 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  lines.push(fmt(header), ...rows.slice(0, -1).map(fmt), fmt(rows[rows.length - 1] ?? []));
  const hidden = report.resources.length - shown.length;
  if (hidden > 0)
    lines.push(`(${hidden} more resource(s) at $0 — IAM, configuration, Kubernetes objects; --all lists them)`);
  lines.push(`${report.resources.length} cloud resources, ${report.componentCount} components`);
  if (report.unpriced.length > 0) {
    lines.push("", `unpriced (${report.unpriced.length}, not in the total):`);
    for (const u of report.unpriced) lines.push(`  ${u.name} (${u.type}): ${u.reason}`);
  }
  const v = report.policy.violations;
  lines.push("", v.length === 0 ? "policy: no violations" : `policy: ${v.length} violation(s)`);
  for (const x of v) lines.push(`  [${x.level}] ${x.policy}: ${x.message}`);
  if (report.clusters.length > 0) lines.push("");
  for (const c of report.clusters) {
    const by = new Map<string, string>((c.managed ?? []).map((m) => [m.addon, m.by]));
    const named = (a: string) => (by.has(a) ? `${a} (managed by ${by.get(a) ?? ""})` : a);
    const addons = c.addons === null ? "unknown (plan with --platform)" : c.addons.map(named).join(", ") || "none";
    lines.push(`cluster ${c.name} (${c.cloud}): add-ons ${addons}${c.from ? ` (from ${c.from})` : ""}`);
  }
  const f = report.findings;
  const warnings = f.length - report.errors;
  lines.push(
    "",
    f.length === 0
      ? "checks (schema, add-ons, cloud limits, GPU): no findings"
      : `checks (schema, add-ons, cloud limits, GPU): ${report.errors} error(s), ${warnings} warning(s)`,
  );
  for (const x of f) lines.push(`  [${x.level}] ${x.check}: ${x.message}`);
  const mandatory = v.filter((x) => x.level === "mandatory").length;
  const failed = [
    ...(mandatory > 0 ? [`${mandatory} mandatory violation(s)`] : []),
    ...(report.errors > 0 ? [`${report.errors} check error(s)`] : []),
  ];
  lines.push(
    "",
    failed.length > 0 ? `DENIED: ${failed.join(", ")}` : "OK: no mandatory policy violated, no check error",
  );
  return `${lines.join("\n")}\n`;
}

export async function runPlan(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    json: { type: "boolean" },
    all: { type: "boolean" },
    platform: { type: "string" },
    "policy-config": { type: "string" },
    catalog: { type: "string" },
    tenant: { type: "string" },
    owner: { type: "string" },
    "cost-center": { type: "string" },
    environment: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const file = singlePositional(
    positionals,
    "FILE",
    "pass a deployment spec, a quote request, or a Pulumi.<stack>.yaml",
  );
  const env =
    values.environment === undefined ? undefined : parseOrThrow(EnvironmentSchema, values.environment, "--environment");
  const policyConfig =
    values["policy-config"] !== undefined ? readJsonFile(values["policy-config"], "--policy-config") : undefined;
  const catalog = catalogFrom(values.catalog);
  const content = /\.ya?ml$/i.test(file) ? undefined : readJsonFile(file, "FILE");
  const kind = inputKind(file, content);
  if (values.platform !== undefined && (kind === "platform" || !/\.ya?ml$/i.test(values.platform))) {
    throw new ValidationError(
      "--platform",
      kind === "platform"
        ? "applies to a deployment spec or a quote request, not to a platform config"
        : `"${values.platform}" is not a Pulumi.<stack>.yaml platform config`,
    );
  }
  const options = {
    catalog,
    ...(policyConfig !== undefined ? { policyConfig } : {}),
    ...(values.platform !== undefined ? { platformFile: values.platform } : {}),
  };

  // Loaded here, not at the top: `modelplane help` must not pay for the planner.
  const plan = await import("../../platform/service/plan");
  try {
    let report: Report;
    let header: string[] = [];
    let extraJson: Record<string, unknown> = {};
    if (kind === "platform") {
      report = await plan.planPlatformFile(file, { ...options, ...(env ? { environment: env } : {}) });
    } else if (kind === "deployment") {
      const spec = isRecord(content) && env ? { ...content, environment: env } : content;
      const footprint = await footprintFor(values.platform, catalog);
      header = [
        `platform footprint (${footprint.source.kind === "config" ? footprint.source.file : footprint.source.stack}): ${describeFootprint(footprint)}`,
      ];
      report = await plan.planDeployment(spec, { ...options, footprint });
    } else {
      const footprint = await footprintFor(values.platform, catalog);
      const { planQuote } = await import("../../platform/service/plan/quote");
      const defaults = {
        ...(values.tenant ? { tenant: values.tenant } : {}),
        ...(values.owner ? { owner: values.owner } : {}),
        ...(values["cost-center"] ? { costCenter: values["cost-center"] } : {}),
        ...(env ? { environment: env } : {}),
      };
      const q = await planQuote(content, defaults, { ...options, footprint });
      report = q.report;
      const top = q.placement;
      if (top) {
        header = [
          `platform footprint (${footprint.source.kind === "config" ? footprint.source.file : footprint.source.stack}): ${describeFootprint(footprint)}`,
          `top placement: ${top.cloud} ${top.region} ${top.instanceType} (${top.gpuCount}×${top.gpuType}, ${top.capacity}) quoted at $${top.hourlyUsd.toFixed(4)}/h, $${top.monthlyUsd.toFixed(2)}/month`,
        ];
        extraJson = { placement: top, spec: q.spec };
      }
    }
    io.out(
      values.json
        ? `${JSON.stringify({ ...report, ...extraJson }, null, 2)}\n`
        : formatPlan(report, { all: values.all === true, header }),
    );
    return report.policy.denied || report.errors > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof InfeasibleError) {
      io.err(`modelplane plan: no feasible placement: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  // The warm worker is unreferenced while idle: it never keeps the CLI alive, and repeated
  // in-process runs (tests) reuse it.
}

export const command: Command = {
  summary:
    "Offline plan of a stack: resources, monthly cost, cost-policy verdicts and real-cloud checks, without the Pulumi engine",
  run: (argv) => runPlan(argv, processIO),
};
