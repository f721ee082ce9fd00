import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PriceSourceUnavailableError } from "../../../platform/core/pricing/provider";
import { awsOfferUrl, parseAwsOfferFile, refreshAws } from "./refresh";
import { awsSpotFromXml, sigV4Get } from "./spot";
import { isOptInZone, optInZoneGroup } from "./index";

const offerFile = (): unknown => JSON.parse(readFileSync(join(__dirname, "fixtures", "offer-us-east-1.json"), "utf8"));
const spotXml = (): string => readFileSync(join(__dirname, "fixtures", "spot-price-history.xml"), "utf8");

describe("aws pricing refresh (Price List bulk offer file + DescribeSpotPriceHistory)", () => {
  it("keeps Linux, shared-tenancy, no-software, used-capacity GPU products", () => {
    const raws = parseAwsOfferFile(offerFile(), { asOf: "2026-11-22" });
    assert.deepEqual(raws.map((r) => `${r.instanceType} ${r.gpuType} ${r.gpuCount} ${r.onDemandHourlyUsd}`).sort(), [
      "g6.xlarge L4 1 0.8048",
      "p5.48xlarge H100 8 55.04",
    ]);
    assert.equal(raws.find((r) => r.instanceType === "p5.48xlarge")?.memoryGiB, 2048);
    assert.throws(() => parseAwsOfferFile({ products: {} }, { asOf: "2026-11-22" }), /unexpected offer file/);
  });

  it("without credentials: on-demand only, and says why spot is empty", async () => {
    const urls: string[] = [];
    const fetchImpl = (async (url: string | URL | Request) => {
      urls.push(String(url));
      return new Response(JSON.stringify(offerFile()), { status: 200 });
    }) as typeof fetch;
    const r = await refreshAws({ asOf: "2026-11-22", regions: ["us-east-1"], fetchImpl, env: {} });
    assert.deepEqual(urls, [awsOfferUrl("us-east-1")]);
    assert.ok(r.offers.every((o) => o.spotHourlyUsd === null));
    assert.ok(r.notes.some((n) => /no AWS credentials/.test(n.reason)));
  });

  it("with credentials: signed DescribeSpotPriceHistory; opt-in zones and spot ≥ on-demand are not trusted", async () => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
      const u = String(url);
      calls.push({ url: u, headers: (init?.headers ?? {}) as Record<string, string> });
      return u.includes("pricing.us-east-1") ? new Response(JSON.stringify(offerFile())) : new Response(spotXml());
    }) as typeof fetch;
    const r = await refreshAws({
      asOf: "2026-11-22",
      regions: ["us-east-1"],
      fetchImpl,
      env: { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" },
    });
    const ec2 = calls.find((c) => c.url.startsWith("https://ec2.us-east-1.amazonaws.com/"))!;
    assert.match(ec2.url, /Action=DescribeSpotPriceHistory/);
    assert.match(
      ec2.headers.Authorization ?? "",
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/ec2\/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    const g6 = r.offers.find((o) => o.instanceType === "g6.xlarge")!;
    assert.equal(g6.spotHourlyUsd, 0.349);
    assert.equal(r.offers.find((o) => o.instanceType === "p5.48xlarge")!.spotHourlyUsd, null);
  });

  it("SigV4 matches the AWS test suite's get-vanilla signature", () => {
    const s = sigV4Get({
      host: "example.amazonaws.com",
      path: "/",
      query: {},
      region: "us-east-1",
      service: "service",
      creds: { keyId: "AKIDEXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
      now: new Date("2015-08-30T12:36:00Z"),
    });
    assert.equal(
      s.headers.Authorization,
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("spot XML: lowest price per type over regular AZs", () => {
    assert.deepEqual(
      [...awsSpotFromXml(spotXml())],
      [
        ["g6.xlarge", 0.349],
        ["p5.48xlarge", 55.04],
      ],
    );
  });

  it("opt-in zone ids and their zone groups", () => {
    assert.equal(isOptInZone("use1-az1"), false);
    assert.equal(isOptInZone("usw2-lax1-az1"), true);
    assert.equal(isOptInZone("use1-atl2-az1"), true);
    assert.equal(optInZoneGroup("us-west-2", "usw2-lax1-az1"), "us-west-2-lax-1");
  });

  it("fails with the host named when offline", async () => {
    const offline = (async () => {
      throw new TypeError("fetch failed", {
        cause: new Error("getaddrinfo ENOTFOUND pricing.us-east-1.amazonaws.com"),
      });
    }) as typeof fetch;
    await assert.rejects(
      refreshAws({ asOf: "2026-11-22", regions: ["us-east-1"], fetchImpl: offline, env: {} }),
      (err: unknown) => err instanceof PriceSourceUnavailableError && err.host === "pricing.us-east-1.amazonaws.com",
    );
  });
});
