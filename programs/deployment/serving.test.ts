import { strict as assert } from "node:assert";
import type { Cloud } from "../../platform/core/types";
import { ValidationError } from "../../platform/core/validation";
import { arr, obj, settle, type Obj, type Registered } from "../../components/testing/pulumiMocks";
import { INTERCEPTOR_SERVICE, KEDA_NAMESPACE } from "../../providers/kubernetes/platform-addons";
import { RESPONSE_HEADER_SECONDS } from "../../providers/kubernetes/model-route";
import type { DeploymentSpecInput } from "./spec";
import {
  fixtureCatalog,
  gatewayOf,
  installDeploymentMocks,
  platformOutput,
  platformStackOutputs,
  resolveOutputs,
  specFor,
} from "./testing";

const CLOUDS: Cloud[] = ["aws", "gcp", "azure"];
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const GRANT = "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant";
const BTP = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";

/** A spec in a rollout: revision `revision` (model v2) beside `stableRevision` (model v1) at `weight`. */
function inRollout(
  cloud: Cloud,
  kind: "on-demand" | "scale-to-zero",
  strategy: "canary" | "blue-green",
  weight: number,
): DeploymentSpecInput {
  const s = specFor(cloud, kind);
  return {
    ...s,
    model: { ...s.model, version: "v2" },
    revision: 2,
    rollout: { strategy, weight, stable: { revision: 1, model: s.model, server: { kind: "vllm" } } },
  };
}

describe("deployment program: routing through the cluster gateway (mocks)", () => {
  let registered: Registered[];
  let platform: Obj = {};
  let mod: typeof import("./program");

  before(async () => {
    registered = await installDeploymentMocks(() => platform);
    mod = await import("./program");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function run(cloud: Cloud, spec: DeploymentSpecInput, withGateway = true): Promise<Obj> {
    const output = platformOutput(cloud, { withPools: true });
    platform = platformStackOutputs(withGateway ? { ...output, gateway: gatewayOf(cloud) } : output);
    const program = mod.deploymentProgram(spec, { catalog: fixtureCatalog() });
    const out = await resolveOutputs(await program());
    await settle(registered);
    return out;
  }
  const ofType = (type: string) => registered.filter((r) => r.type === type);
  const spec = (r: Registered | undefined): Obj => obj(r?.inputs["spec"]);
  const meta = (r: Registered | undefined): Obj => obj(r?.inputs["metadata"]);
  const rule = () => obj(arr(spec(ofType(ROUTE)[0])["rules"])[0]);
  const weights = () => arr(rule()["backendRefs"]).map((b) => [obj(b)["name"], obj(b)["weight"]]);

  for (const cloud of CLOUDS) {
    describe(cloud, () => {
      it("warm model: an HTTPRoute on the gateway's listener to its Service; endpoint is the https path URL", async () => {
        const out = await run(cloud, specFor(cloud, "on-demand"));
        const svc = String(out["serviceName"]);
        assert.match(svc, /^llama-3-1-70b-instruct-[0-9a-f]{6}$/);
        assert.equal(out["endpoint"], `https://models.${cloud}.example.com/mp-research/${svc}/v1`);
        assert.equal(out["endpointReason"], undefined);
        assert.equal(out["inClusterEndpoint"], `http://${svc}.mp-research.svc.cluster.local/v1`);
        const routes = ofType(ROUTE);
        assert.equal(routes.length, 1);
        // Registered on the cluster, through the stack's (non-adopting) Kubernetes provider.
        assert.match(String(routes[0]?.provider), /::llama-3-1-70b-instruct-k8s::/);
        assert.deepEqual(meta(routes[0])["namespace"], "mp-research");
        assert.deepEqual(spec(routes[0])["parentRefs"], [
          {
            group: "gateway.networking.k8s.io",
            kind: "Gateway",
            name: "inference",
            namespace: "modelplane-gateway",
            sectionName: "https",
          },
        ]);
        assert.deepEqual(rule()["matches"], [{ path: { type: "PathPrefix", value: `/mp-research/${svc}` } }]);
        assert.deepEqual(obj(obj(arr(rule()["filters"])[0])["urlRewrite"])["path"], {
          type: "ReplacePrefixMatch",
          replacePrefixMatch: "/",
        });
        assert.deepEqual(weights(), [[svc, 100]]);
        assert.equal(ofType(GRANT).length, 0);
        assert.equal(ofType(BTP).length, 0);
        assert.deepEqual(obj(rule()["timeouts"]), { request: `${RESPONSE_HEADER_SECONDS}s` });
        assert.equal(
          meta(routes[0]).labels && obj(meta(routes[0])["labels"])["modelplane/deployment-id"],
          `dep-${cloud}-on-demand`,
        );
        assert.deepEqual(out["revisions"], [{ revision: 1, weight: 100, role: "serving", serviceName: svc }]);
      });

      it("scale-to-zero: the route goes through the KEDA interceptor with the wake Host, a grant in its namespace, a wake window", async () => {
        const out = await run(cloud, specFor(cloud, "scale-to-zero"));
        const svc = String(out["serviceName"]);
        const refs = arr(rule()["backendRefs"]).map(obj);
        assert.deepEqual(
          refs.map((r) => [r["name"], r["namespace"], r["port"], r["weight"]]),
          [[INTERCEPTOR_SERVICE, KEDA_NAMESPACE, 8080, 100]],
        );
        const host = obj(obj(arr(rule()["filters"])[0])["urlRewrite"])["hostname"];
        const scaled = spec(ofType("kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject")[0]);
        assert.ok(arr(scaled["hosts"]).includes(host), `the HTTPScaledObject routes ${String(host)}`);
        const grants = ofType(GRANT);
        assert.equal(grants.length, 1);
        assert.equal(meta(grants[0])["namespace"], KEDA_NAMESPACE);
        assert.deepEqual(arr(spec(grants[0])["from"]), [
          { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "mp-research" },
        ]);
        const route = obj(out["route"]);
        const window = Number(route["wakeWindowSeconds"]);
        assert.ok(window >= 600 && window <= 3600, `window ${window}`);
        assert.equal(route["wakeWindowCapped"], false);
        assert.deepEqual(obj(rule()["timeouts"]), { request: `${window + RESPONSE_HEADER_SECONDS}s` });
        const policy = ofType(BTP);
        assert.equal(policy.length, 1);
        assert.deepEqual(arr(spec(policy[0])["targetRefs"]), [
          { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: svc },
        ]);
        assert.equal(out["endpoint"], `https://models.${cloud}.example.com/mp-research/${svc}/v1`);
      });

      it("canary 10/90: both revisions run, the stable keeps its names, the route splits by weight", async () => {
        const before = await run(cloud, specFor(cloud, "on-demand"));
        const stableNames = registered
          .filter((r) => r.type.startsWith("kubernetes:"))
          .map((r) => `${r.type} ${r.name}`);
        registered.length = 0;
        const out = await run(cloud, inRollout(cloud, "on-demand", "canary", 10));
        const svc = String(before["serviceName"]);
        assert.equal(out["serviceName"], svc, "the path does not move during a rollout");
        assert.equal(out["endpoint"], before["endpoint"]);
        assert.deepEqual(weights(), [
          [`${svc}-r2`, 10],
          [svc, 90],
        ]);
        const deployments = ofType(DEPLOYMENT).map((d) => String(meta(d)["name"]));
        assert.deepEqual(deployments.sort(), [svc, `${svc}-r2`]);
        assert.deepEqual(
          ofType(SERVICE)
            .map((d) => String(meta(d)["name"]))
            .sort(),
          [svc, `${svc}-r2`],
        );
        // Every object of the stable revision is registered under the same Pulumi name: nothing is replaced.
        const now = new Set(registered.map((r) => `${r.type} ${r.name}`));
        for (const n of stableNames) assert.ok(now.has(n), `${n} still registered`);
        // The new revision serves the new model version, the stable one the old.
        const uri = (name: string) => JSON.stringify(spec(ofType(DEPLOYMENT).find((d) => meta(d)["name"] === name)));
        assert.match(uri(`${svc}-r2`), /\/v2/);
        assert.doesNotMatch(uri(svc), /\/v2/);
        assert.deepEqual(
          arr(out["revisions"]).map((r) => [obj(r)["revision"], obj(r)["weight"], obj(r)["role"]]),
          [
            [2, 10, "new"],
            [1, 90, "stable"],
          ],
        );
      });

      it("blue/green: 0/100 while the new revision warms, 100/0 just before promote", async () => {
        await run(cloud, inRollout(cloud, "on-demand", "blue-green", 0));
        const svc = String(arr(rule()["backendRefs"]).map(obj)[1]?.["name"]);
        assert.deepEqual(weights(), [
          [`${svc}-r2`, 0],
          [svc, 100],
        ]);
        registered.length = 0;
        await run(cloud, inRollout(cloud, "on-demand", "blue-green", 100));
        assert.deepEqual(weights(), [
          [`${svc}-r2`, 100],
          [svc, 0],
        ]);
      });
    });
  }

  it("readinessTimeoutSeconds: the slowest revision's rollout timeout, which the control plane follows after up (#1)", async () => {
    const one = await run("gcp", specFor("gcp", "on-demand"));
    const annotated = ofType(DEPLOYMENT).map((d) =>
      Number(obj(meta(d)["annotations"])["pulumi.com/timeoutSeconds"] ?? NaN),
    );
    const t = Number(one["readinessTimeoutSeconds"]);
    assert.ok(t >= 600, `timeout ${t}`);
    registered.length = 0;
    const both = await run("gcp", inRollout("gcp", "on-demand", "canary", 10));
    assert.ok(Number(both["readinessTimeoutSeconds"]) >= t);
    assert.ok(
      annotated.every((a) => Number.isNaN(a) || a <= t),
      `annotations ${annotated.join(",")} within ${t}`,
    );
  });

  it("promote: the spec at revision 2 without a rollout runs only -r2, at 100, on the same path", async () => {
    const s = inRollout("gcp", "on-demand", "canary", 10);
    delete s.rollout;
    const out = await run("gcp", s);
    const svc = String(out["serviceName"]);
    assert.deepEqual(weights(), [[`${svc}-r2`, 100]]);
    assert.deepEqual(
      ofType(DEPLOYMENT).map((d) => meta(d)["name"]),
      [`${svc}-r2`],
    );
    assert.equal(out["endpoint"], `https://models.gcp.example.com/mp-research/${svc}/v1`);
  });

  it("canary of scale-to-zero revisions: each weighted backend rewrites the Host to its own revision's wake host", async () => {
    await run("aws", inRollout("aws", "scale-to-zero", "canary", 10));
    const scaledHosts = ofType("kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject").map((r) => arr(spec(r)["hosts"]));
    assert.equal(scaledHosts.length, 2);
    const refs = arr(rule()["backendRefs"]).map(obj);
    assert.deepEqual(
      refs.map((r) => r["weight"]),
      [10, 90],
    );
    refs.forEach((r, i) => {
      const host = obj(obj(arr(r["filters"])[0])["urlRewrite"])["hostname"];
      assert.ok(
        scaledHosts.some((h) => h.includes(host)),
        `backend ${i} host ${String(host)} is routed by a scaler`,
      );
    });
    assert.notEqual(
      obj(obj(arr(refs[0]?.["filters"])[0])["urlRewrite"])["hostname"],
      obj(obj(arr(refs[1]?.["filters"])[0])["urlRewrite"])["hostname"],
    );
  });

  it("serverless keeps its own URL as endpoint, with no route, even when the cluster has a gateway", async () => {
    const out = await run("gcp", specFor("gcp", "serverless"));
    assert.match(String(out["endpoint"]), /^https:\/\/.+\.run\.app$/);
    assert.equal(ofType(ROUTE).length, 0);
  });

  it("no gateway: no endpoint and the reason; a rollout there is refused naming rollout", async () => {
    const out = await run("azure", specFor("azure", "on-demand"), false);
    assert.equal(out["endpoint"], undefined);
    assert.match(String(out["endpointReason"]), /installs no gateway on cluster "azure-westus3"/);
    assert.match(String(out["inClusterEndpoint"]), /^http:\/\/.+\.svc\.cluster\.local\/v1$/);
    assert.equal(ofType(ROUTE).length, 0);
    await assert.rejects(
      () => run("azure", inRollout("azure", "on-demand", "canary", 10), false),
      (e: unknown) => e instanceof ValidationError && e.field === "rollout",
    );
  });

  it("a rollout that renames the model is refused naming rollout.stable.model.name", async () => {
    const s = inRollout("aws", "on-demand", "canary", 10);
    await assert.rejects(
      () => run("aws", { ...s, model: { ...s.model, name: "Other-Model" } }),
      (e: unknown) => e instanceof ValidationError && e.field === "rollout.stable.model.name",
    );
  });
});
