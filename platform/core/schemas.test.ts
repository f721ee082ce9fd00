import assert from "node:assert/strict";
import { z } from "zod";
import { CloudSchema, EnvironmentSchema } from "./schemas";
import { CLOUDS, ENVIRONMENTS } from "./types";
import { parseOrThrow, ValidationError } from "./validation";

describe("shared schemas", () => {
  it("CloudSchema accepts every cloud and names the bad value and the allowed ones", () => {
    for (const c of CLOUDS) assert.equal(CloudSchema.parse(c), c);
    assert.throws(
      () => parseOrThrow(z.object({ clouds: z.array(CloudSchema) }), { clouds: ["aws", "oracle"] }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === "clouds[1]" &&
        e.message === 'clouds[1]: "oracle" is not a supported cloud; use one of aws, gcp, azure',
    );
    assert.throws(() => parseOrThrow(CloudSchema, 7, "cloud"), /^ValidationError: cloud: 7 is not a supported cloud/);
    assert.throws(
      () => parseOrThrow(z.object({ cloud: CloudSchema }), {}),
      /cloud: is required; use one of aws, gcp, azure/,
    );
  });

  it("EnvironmentSchema is the deployment environments (what stack names and policy limits use)", () => {
    assert.deepEqual([...ENVIRONMENTS], ["dev", "staging", "production"]);
    for (const e of ENVIRONMENTS) assert.equal(EnvironmentSchema.parse(e), e);
    assert.throws(
      () => parseOrThrow(EnvironmentSchema, "development", "environment"),
      /environment: "development" is not an environment; use one of dev, staging, production/,
    );
  });
});
