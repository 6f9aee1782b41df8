// Assertions shared by the tests of the lib's argument errors.
import assert from "node:assert/strict";
import { ArgumentError } from "../lib/core/errors.ts";

/** `f` throws the lib's ArgumentError for `argument`, with a message matching `pattern`. */
export function throwsArg(f: () => unknown, argument: string, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof ArgumentError, String(e));
    assert.equal(e.argument, argument);
    assert.match(e.message, pattern);
    return true;
  });
}
