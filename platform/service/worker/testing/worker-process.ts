/**
 * TEST-ONLY fixture for the crash-recovery test: a control plane in its own process whose engine
 * hangs mid-operation. It submits deployments, reports when the first operation is running, and
 * then waits to be killed with SIGKILL by the test.
 *
 * argv: <postgres|pglite> <schema> <pglite data dir | ""> <deployments>
 */
import { testConfig } from "../../config";
import { createControlPlane } from "../../controlplane/controlplane";
import { TestEngine } from "../../engine/testing/test-engine";
import type { Placement } from "../../../core/placement";
import { openPglite, openPostgres } from "../../store/db";
import { testDatabaseUrl } from "../../store/testing/test-db";
import { testSpec } from "../../store/testing/spec";

const placement: Placement = {
  cloud: "azure",
  region: "eastus",
  instanceType: "Standard_NC24ads_A100_v4",
  gpuType: "A100-80GB",
  gpuCount: 1,
  gpuMemoryGiB: 80,
  capacity: "on-demand",
  replicas: 1,
  unitHourlyUsd: 3.67,
  hourlyUsd: 3.67,
  monthlyUsd: 2679.1,
  storageMonthlyUsd: 0,
  onDemandUnitHourlyUsd: null,
};

async function main(): Promise<void> {
  const [backend, schema, dataDir, countArg] = process.argv.slice(2);
  if (!schema || (backend !== "postgres" && backend !== "pglite"))
    throw new Error("usage: worker-process <postgres|pglite> <schema> <dir> <n>");
  const db =
    backend === "postgres"
      ? await openPostgres(testDatabaseUrl(), schema, 4)
      : await openPglite(dataDir || undefined, schema);
  const engine = new TestEngine();
  engine.defaultBehavior = { kind: "hang" };
  const cp = await createControlPlane(testConfig({ dataDir: "/tmp", schema, workers: 1 }), {
    engine,
    db,
    heartbeatMs: 200,
    queue: { pollingIntervalSeconds: 0.5 },
  });
  await cp.start();
  const started = engine.started("preview");
  const ids: string[] = [];
  for (let i = 0; i < Number(countArg ?? "1"); i++) {
    const { deployment } = await cp.submitDeployment({
      tenant: "crash",
      actor: "k",
      name: `svc-${i}`,
      environment: "dev",
      model: "llama-70b",
      spec: testSpec(i),
      stackName: `${schema}-svc-${i}`,
      placement,
      estimatedMonthlyUsd: 2679.1,
    });
    ids.push(deployment.id);
  }
  await started;
  process.send?.({ type: "running", ids });
  await new Promise(() => undefined); // wait for SIGKILL
}

main().catch((err: unknown) => {
  process.send?.({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
