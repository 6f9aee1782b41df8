/**
 * The plots' argument checks (issue 19, item 4): a model passed where an explanation or a
 * history is expected gets the lib's error saying what to pass.
 */
import assert from "node:assert/strict";
import {
  ArgumentError,
  barPlot,
  barRows,
  decisionPlot,
  decisionRows,
  deepNN,
  explainerShapData,
  plotHistory,
  waterfallPlot,
  waterfallRows,
} from "../lib/mod.ts";

Deno.test("SHAP plots and plotHistory: a model where an explanation or a history is expected says what to pass", () => {
  const model = deepNN({ features: 3, hidden: [4], name: "mine" });
  const plots = { waterfallPlot, waterfallRows, decisionPlot, decisionRows, barPlot, barRows };
  for (const [name, plot] of Object.entries(plots)) {
    assert.throws(
      () => plot(model as never),
      (e: Error) =>
        e instanceof ArgumentError &&
        e.message ===
          `${name}: explanation must be the result of explain(), got the model "mine"; explain ` +
            `it first: ${name}(explain(model, { instance, background }))`,
      name,
    );
  }
  const result = explainerShapData(model, { instance: [1, 2, 3], train: [[0, 0, 0], [1, 1, 1]] });
  assert.throws(() => waterfallPlot(result as never), /pass its \.explanation$/);
  assert.throws(
    () => plotHistory(model as never),
    /^ArgumentError: plotHistory: history must be what train\(\) returns, got the model "mine"; plot what training returned: const history = await train\(model, x, y\); plotHistory\(history\)$/,
  );
});
