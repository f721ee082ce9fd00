/** Test support (not a test file): assertions about ValidationErrors. */
import * as assert from "node:assert/strict";
import { ValidationError } from "../../platform/core/validation";

/** `fn` throws a ValidationError naming `field` (and, when given, with `includes` in its message). */
export function throwsField(fn: () => unknown, field: string, includes?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
    assert.equal(err.field, field);
    if (includes) assert.ok(err.message.includes(includes), `"${err.message}" should include "${includes}"`);
    return true;
  });
}
