/**
 * model.compile on the lib's models refuses loss and metric names tfjs does not know with the
 * lib's error (issue 19, item 4): Keras's snake_case gets the camelCase name, the lib's metric
 * names get the import to use, and nothing is compiled.
 */
import assert from "node:assert/strict";
import { ArgumentError, deepNN, f1, perceptron, r2, tf } from "../lib/mod.ts";
import { LOSS_NAMES, METRIC_NAMES } from "../lib/build/compile_check.ts";

const cases: [object, RegExp][] = [
  [
    { loss: "categorical_crossentropy" },
    /^model\.compile: loss "categorical_crossentropy" is not a loss tfjs knows \(did you mean "categoricalCrossentropy"\? tfjs names losses in camelCase, not Keras's snake_case\); losses are meanSquaredError, /,
  ],
  [
    { loss: "mean_squared_error" },
    /^model\.compile: loss "mean_squared_error" is not a loss tfjs knows \(did you mean "meanSquaredError"\?/,
  ],
  [
    { loss: "binary_crossentropy", metrics: ["accuracy"] },
    /did you mean "binaryCrossentropy"\?/,
  ],
  [
    { loss: "huber" },
    /^model\.compile: loss "huber" is not a loss tfjs knows \(name one of the losses below, or pass a function/,
  ],
  [
    { loss: "binaryCrossentropy", metrics: ["f1"] },
    /^model\.compile: metrics\[0\] "f1" is not a name tfjs knows: f1 is the lib's metric function; import \{ f1 \} from the lib's mod\.ts and pass the function itself, e\.g\. metrics: \["accuracy", f1\]$/,
  ],
  [
    { loss: "meanSquaredError", metrics: ["mae", "R2"] },
    /^model\.compile: metrics\[1\] "R2" is not a name tfjs knows: r2 is the lib's metric function; import \{ r2 \}/,
  ],
  [
    { loss: "binaryCrossentropy", metrics: ["accuracy", "recall"] },
    /^model\.compile: metrics\[1\] "recall" is not a name tfjs knows: recall is the lib's metric/,
  ],
  [
    { loss: "binaryCrossentropy", metrics: ["acuracy"] },
    /^model\.compile: metrics\[0\] "acuracy" is not a metric tfjs knows \(did you mean "accuracy"\?\); metrics are accuracy, /,
  ],
  [{ loss: ["meanSquaredError", "mse_x"] }, /^model\.compile: loss\[1\] "mse_x" is not a loss/],
];

Deno.test("compile: a loss or metric name tfjs does not know is the lib's error, naming the fix", () => {
  for (const build of [() => deepNN({ features: 3, hidden: [4] }), () => perceptron()]) {
    for (const [args, message] of cases) {
      const model = build();
      assert.throws(
        () => model.compile({ optimizer: "adam", ...args } as never),
        (e: Error) => e instanceof ArgumentError && message.test(e.message),
        JSON.stringify(args),
      );
      assert.equal(model.optimizer, undefined, "nothing compiled");
    }
    assert.throws(
      () => build().compile(null as never),
      /^ArgumentError: model\.compile: args must be an object \{ optimizer, loss, metrics \}, got null$/,
    );
  }
});

Deno.test("compile: every name tfjs knows, and the lib's metric functions, still compile", () => {
  for (const loss of LOSS_NAMES) {
    deepNN({ features: 3, hidden: [4] }).compile({ optimizer: "adam", loss });
  }
  for (const metric of METRIC_NAMES) {
    deepNN({ features: 3, hidden: [4] }).compile({
      optimizer: "adam",
      loss: "binaryCrossentropy",
      metrics: [metric],
    });
  }
  const model = deepNN({ features: 3, hidden: [4] });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1, r2] });
  assert.deepEqual(model.metricsNames, ["loss", "acc", "F1", "R2"]);
  // A user's own tfjs model compiles as tfjs does (tfjs's own error for an unknown name).
  const own = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  assert.throws(() => own.compile({ optimizer: "adam", loss: "categorical_crossentropy" }), {
    message: "Unknown loss categorical_crossentropy",
  });
});
