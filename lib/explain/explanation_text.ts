/**
 * An explanation as text, for `String(explanation)` in a script: what was explained, the
 * base value and the output, then each feature's contribution, largest first.
 *
 * @module
 */
import type { Explanation } from "./explain.ts";
import { withText } from "../core/text.ts";
import { plural } from "../core/words.ts";

/** Features listed before the rest are summed into one line. */
const SHOWN = 10;

const num = (v: number) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(3) : String(Number(v.toFixed(4)));
};
const signed = (v: number) => (v >= 0 ? `+${num(v)}` : num(v));

/**
 * The text of an explanation: one header line, then a line per feature (`name = value: +x`),
 * largest |contribution| first, at most ten (the rest summed).
 *
 * @example
 * ```ts
 * import { explanationText } from "./explanation_text.ts";
 * import { explain, perceptron } from "../mod.ts";
 * const model = perceptron({ inputs: 2, initializer: "ones" });
 * const e = explain(model, { instance: [1, 2], background: [[0, 0]], featureNames: ["a", "b"] });
 * explanationText(e).split("\n")[1]; // "f(x) = 3, E[f(X)] = 0 over 1 background row, identity link"
 * ```
 */
export function explanationText(e: Explanation): string {
  const what = e.explained ? `, explaining output "${e.explained.name}" of ${e.explained.of}` : "";
  const head = `Explanation: ${e.method === "exact" ? "exact Shapley values" : "Kernel SHAP"} of ${
    plural(e.values.length, "feature")
  }${what}`;
  const { rows, givenRows, summarized } = e.background;
  const how = summarized === "kmeans" ? "k-means of" : "sampled from";
  const line2 = `f(x) = ${num(e.output)}, E[f(X)] = ${num(e.baseValue)} over ${
    plural(rows, "background row")
  }${summarized ? ` (${how} ${givenRows})` : ""}, ${e.link} link`;
  const order = e.values.map((_, k) => k)
    .sort((a, b) => Math.abs(e.values[b]) - Math.abs(e.values[a]) || a - b);
  const lines = order.slice(0, SHOWN).map((k) =>
    `  ${e.featureNames[k]} = ${num(e.instance[k])}: ${signed(e.values[k])}`
  );
  const rest = order.slice(SHOWN);
  if (rest.length > 0) {
    const sum = rest.reduce((s, k) => s + e.values[k], 0);
    lines.push(`  ${rest.length} other features: ${signed(sum)}`);
  }
  return [head, line2, ...lines].join("\n");
}

/**
 * Gives an explanation its `toString` (not enumerable: the plain data, its JSON and its
 * comparisons stay as they were) and returns it.
 *
 * @example
 * ```ts
 * import { withExplanationText } from "./explanation_text.ts";
 * import { explain, perceptron } from "../mod.ts";
 * const e = explain(perceptron({ inputs: 1 }), { instance: [1], background: [[0]] });
 * String(withExplanationText(e)).startsWith("Explanation: exact Shapley values of 1 feature"); // true
 * ```
 */
export function withExplanationText(e: Explanation): Explanation {
  return withText(e, explanationText);
}
