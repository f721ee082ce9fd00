import assert from "node:assert/strict";
import { endpointOf } from "./context";

describe("CLI client: a deployment's endpoint", () => {
  it("reads the URL from the outputs, as a string or as {url}", () => {
    assert.equal(endpointOf({ outputs: { endpoint: "https://gw.example/ns/svc/v1" } }), "https://gw.example/ns/svc/v1");
    assert.equal(endpointOf({ outputs: { endpoint: { url: "https://run.example" } } }), "https://run.example");
    assert.equal(endpointOf({ outputs: { endpoint: { url: null } } }), undefined);
    assert.equal(endpointOf({ outputs: null }), undefined);
  });

  it("gives none for a dry run: its outputs hold the plan's placeholder, not a URL to call", () => {
    const placeholder = "https://gcp-us-central1.address-known-after-apply.invalid/mp-default/m-1/v1";
    assert.equal(endpointOf({ outputs: { endpoint: placeholder, simulated: true } }), undefined);
    assert.equal(endpointOf({ outputs: { endpoint: placeholder } }), placeholder, "only the dry-run flag hides it");
  });
});
