/**
 * `String(value)` for the plain-data values the lib returns: a `toString` that is not
 * enumerable, so the value stays plain data (its keys, its JSON and deep comparisons are as
 * before) while a script that prints it reads text, not `[object Object]`.
 *
 * @module
 */

/**
 * Gives `value` a non-enumerable `toString` returning `text(value)`, and returns it.
 *
 * @example
 * ```ts
 * import { withText } from "./text.ts";
 * const point = withText({ x: 1, y: 2 }, (p) => `(${p.x}, ${p.y})`);
 * String(point); // "(1, 2)"
 * Object.keys(point); // ["x", "y"]
 * JSON.stringify(point); // '{"x":1,"y":2}'
 * ```
 */
export function withText<T extends object>(value: T, text: (value: T) => string): T {
  Object.defineProperty(value, "toString", {
    value: function (this: T) {
      return text(this);
    },
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return value;
}
