import * as assert from "node:assert/strict";
import { parseOrThrow, ValidationError } from "../platform/core/validation";
import { z } from "zod";

describe("validation", () => {
  it("names the nested field of the first problem", () => {
    const schema = z.object({ clouds: z.array(z.object({ gpu: z.enum(["T4", "L4"]) })) });
    assert.throws(
      () => parseOrThrow(schema, { clouds: [{ gpu: "T4" }, { gpu: "A200" }] }, "modelplane:"),
      (err: unknown) => err instanceof ValidationError && err.field === "modelplane:clouds[1].gpu",
    );
  });
});
