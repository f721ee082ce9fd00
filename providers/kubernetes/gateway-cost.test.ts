import * as assert from "node:assert/strict";
import { HOURS_PER_MONTH } from "../../platform/core/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { priceResource } from "../resource-cost/price";
import { gatewayObject, LB_CLOUD_LABEL, LB_REGION_LABEL } from "./gateway";

const TYPE = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const gateway = (loadBalancer?: { cloud: string; region: string }) => ({
  type: TYPE,
  name: "gw",
  inputs: gatewayObject({ certificateSecret: { name: "tls" }, ...(loadBalancer ? { loadBalancer } : {}) }),
});

describe("the gateway's load balancer in the offline plan", () => {
  const catalog = defaultCatalog();

  it("is priced from the catalog's load-balancer row of its cloud, always on, with the row's source", () => {
    for (const [cloud, product] of [
      ["aws", "nlb"],
      ["gcp", "forwarding-rule"],
      ["azure", "standard-lb"],
    ] as const) {
      const row = catalog.loadBalancers?.find((l) => l.cloud === cloud);
      assert.equal(row?.product, product);
      const p = priceResource(gateway({ cloud, region: "r1" }), catalog);
      assert.ok(p.priced, `${cloud} priced`);
      assert.equal(p.hourlyUsd, row?.hourlyUsd);
      assert.equal(p.monthlyUsd, (row?.hourlyUsd ?? 0) * HOURS_PER_MONTH);
      assert.match(p.note, new RegExp(`${product}.*data processed not included.*as of 2026-11-30`));
    }
    assert.ok(gateway({ cloud: "aws", region: "us-east-1" }).inputs.metadata.labels?.[LB_REGION_LABEL]);
  });

  it("is unpriced, saying why, on a brought cluster or with a catalog that has no load-balancer rows", () => {
    const brought = priceResource(gateway(), catalog);
    assert.ok(!brought.priced);
    assert.match(brought.reason, new RegExp(LB_CLOUD_LABEL));
    const old = priceResource(gateway({ cloud: "aws", region: "us-east-1" }), { ...catalog, loadBalancers: undefined });
    assert.ok(!old.priced);
    assert.match(old.reason, /no load-balancer price for aws/);
  });
});
