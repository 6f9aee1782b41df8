/**
 * Escaping of user text (layer, model and feature names) for SVG and HTML output.
 *
 * @module
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

// XML 1.0 forbids most C0 controls and lone surrogates even as character references.
const INVALID_XML = new RegExp(
  "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]" +
    "|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]",
  "g",
);

/**
 * Escapes text for use in XML/HTML text and attribute values; characters XML cannot carry
 * become U+FFFD, so the document always parses.
 *
 * @example
 * ```ts
 * import { escapeXml } from "./escape.ts";
 * escapeXml('<b>"a&b"</b>'); // "&lt;b&gt;&quot;a&amp;b&quot;&lt;/b&gt;"
 * ```
 */
export function escapeXml(text: unknown): string {
  return xmlChars(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * Replaces the characters XML cannot carry at all (most C0 controls, U+FFFE, U+FFFF, lone
 * surrogates) with U+FFFD, for text a library escapes itself (vega, Observable Plot).
 *
 * @example
 * ```ts
 * import { xmlChars } from "./escape.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(xmlChars("loss\u0007"), "loss\uFFFD");
 * ```
 */
export function xmlChars(text: unknown): string {
  return String(text).replace(INVALID_XML, "\uFFFD");
}

/**
 * Shortens long user text for labels, keeping whole code points.
 *
 * @example
 * ```ts
 * import { truncate } from "./escape.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(truncate("abcdefghij", 5), "abcd…");
 * ```
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join("") + "…";
}
