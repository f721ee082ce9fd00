import * as assert from "node:assert/strict";
import { z } from "zod";
import { boundedRecord } from "./bounds";
import { closestKey, guardInput, MAX_DEPTH } from "./strict-input";
import { ValidationError } from "./validation";

const Schema = z.object({
  scaling: z.object({ minReplicas: z.number().optional(), maxReplicas: z.number().optional() }).optional(),
  precision: z.enum(["bf16", "fp8"]).default("bf16"),
  gpus: z
    .array(z.enum(["H100", "L4"]))
    .max(2)
    .optional(),
  tags: boundedRecord(z.string().max(10), z.string(), 2).optional(),
  loose: z.looseObject({ a: z.string().optional() }).optional(),
});

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return `${err.field} | ${err.message}`;
  }
  assert.fail("expected a ValidationError");
}

describe("strict input", () => {
  it("names an unknown key at its path, with the closest allowed key", () => {
    assert.match(
      fieldOf(() => guardInput(Schema, { scaling: { min: 0 } })),
      /^scaling\.min \| scaling\.min: unknown key; did you mean "minReplicas"\? allowed here: minReplicas, maxReplicas$/,
    );
    assert.match(
      fieldOf(() => guardInput(Schema, { precison: "bf16" })),
      /did you mean "precision"/,
    );
    assert.match(
      fieldOf(() => guardInput(Schema, { zzz: 1 })),
      /^zzz \| zzz: unknown key; allowed here: scaling/,
    );
  });

  it("keeps loose objects loose", () => {
    assert.deepEqual(guardInput(Schema, { loose: { b: "x" } }), { loose: { b: "x" } });
  });

  it("canonicalises enum spellings case-insensitively, in arrays too", () => {
    assert.deepEqual(guardInput(Schema, { precision: "BF16", gpus: ["h100", "l4"] }), {
      precision: "bf16",
      gpus: ["H100", "L4"],
    });
    assert.deepEqual(guardInput(Schema, { precision: "bf17" }), { precision: "bf17" }, "no guess: zod refuses it");
  });

  it("refuses lists and maps above their maximum before reading them", () => {
    assert.match(
      fieldOf(() => guardInput(Schema, { gpus: new Array(100_000).fill(7) })),
      /^gpus \| .*at most 2 items/,
    );
    assert.match(
      fieldOf(() => guardInput(Schema, { tags: { a: "1", b: "2", c: "3" } })),
      /^tags \| .*at most 2 entries/,
    );
    assert.match(
      fieldOf(() => guardInput(Schema, { tags: { "0123456789x": "1" } })),
      /^tags\.0123456789x/,
    );
  });

  it("refuses control characters and lone surrogates in values and keys, and deep nesting", () => {
    assert.match(
      fieldOf(() => guardInput(Schema, { tags: { a: "x\u0000" } })),
      /^tags\.a \| .*U\+0000/,
    );
    assert.match(
      fieldOf(() => guardInput(Schema, { tags: { a: "x\r\n" } })),
      /U\+000D/,
    );
    assert.match(
      fieldOf(() => guardInput(Schema, { tags: { a: "\ud83d" } })),
      /lone UTF-16 surrogate/,
    );
    assert.deepEqual(guardInput(Schema, { tags: { a: "\ud83d\ude00" } }), { tags: { a: "\ud83d\ude00" } });
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_DEPTH + 1; i++) deep = { loose: deep };
    assert.match(
      fieldOf(() => guardInput(z.unknown(), deep)),
      /nested deeper/,
    );
  });

  it("copies `__proto__` as a plain key, never as a prototype", () => {
    const input = JSON.parse('{"loose": {"__proto__": {"polluted": true}}}') as unknown;
    const out = guardInput(Schema, input) as { loose: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(out.loose), Object.prototype);
    assert.ok(Object.hasOwn(out.loose, "__proto__"));
  });

  it("suggests by case, separators, prefix, containment and edit distance", () => {
    const allowed = ["minReplicas", "maxReplicas", "scaleToZero", "costCenter"];
    assert.equal(closestKey("min", allowed), "minReplicas");
    assert.equal(closestKey("cost_center", allowed), "costCenter");
    assert.equal(closestKey("maxReplica", allowed), "maxReplicas");
    assert.equal(closestKey("scaletozeroo", allowed), "scaleToZero");
    assert.equal(closestKey("banana", allowed), undefined);
  });
});
