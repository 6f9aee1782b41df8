/**
 * Sizes (issue 12, item 8): a model, a data set or an explanation that would not fit, or
 * would run for many minutes, is refused at the call with the estimate, before any work.
 */
import assert from "node:assert/strict";
import {
  ArgumentError,
  deepNN,
  explain,
  explainerShap,
  perceptron,
  randomData,
  tf,
  train,
} from "../lib/mod.ts";
import { readableSize } from "../lib/core/numeric.ts";
import {
  checkExplainSize,
  checkModelSize,
  MAX_EXPLAIN_SECONDS,
  MAX_MODEL_BYTES,
} from "../lib/core/budget.ts";

/** The id the next tensor gets: tfjs numbers every tensor it makes, disposed or not. */
function nextTensorId(): number {
  const probe = tf.scalar(0);
  probe.dispose();
  return probe.id + 1;
}

/**
 * Runs `call`, which must throw an ArgumentError synchronously, before any work: not one tensor
 * made (none left behind is not enough: work could have made and disposed some).
 */
function refused(call: () => unknown, message: RegExp): void {
  const tensors = tf.memory().numTensors;
  const before = nextTensorId();
  assert.throws(call, (e: Error) => {
    assert.ok(e instanceof ArgumentError, `${e.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
  assert.equal(nextTensorId(), before + 1, "refused before any work: no tensor was made");
  assert.equal(tf.memory().numTensors, tensors, "no tensor left behind");
}

Deno.test("deepNN and perceptron refuse a model past 1 GiB of weights, naming its size", () => {
  refused(
    () => deepNN({ features: 1e5 }),
    /^deepNN: features 100000 makes a model of 6,250,100,001 parameters \(23\.28 GB of float32 weights\), more than the 1\.00 GB \(268,435,456 parameters\) a model may take; use fewer features$/,
  );
  refused(
    () => perceptron({ inputs: 2e9 }),
    /^perceptron: inputs 2000000000 makes a model of 2,000,000,001 parameters \(7\.45 GB of float32 weights\)/,
  );
  refused(() => deepNN({ features: 20_800 }), /^deepNN: features 20800 makes a model of 270,4/);
});

Deno.test("checkModelSize: the limit itself is allowed, one parameter more is not", () => {
  checkModelSize("f", "units", "units n", MAX_MODEL_BYTES / 4);
  assert.throws(
    () => checkModelSize("f", "units", "units n", MAX_MODEL_BYTES / 4 + 1),
    /^ArgumentError: f: units n makes a model of 268,435,457 parameters \(1\.00 GB/,
  );
});

Deno.test("explain refuses Kernel SHAP that would not fit in memory (nsamples 1e9)", () => {
  const model = perceptron({ inputs: 40, seed: 1 });
  const row = Array(40).fill(0.5);
  refused(
    () => explain(model, { instance: row, background: [row], nsamples: 1e9 }),
    /^explain: Kernel SHAP over 40 features with 1,000,000,000 coalitions \(nsamples\) needs 52\.15 GB of working memory, more than the 1\.00 GB an explanation may take; pass a smaller nsamples/,
  );
  model.dispose();
});

Deno.test("explain and explainerShap refuse Kernel SHAP that would take many minutes", () => {
  const model = deepNN({ features: 3000, seed: 1 });
  const row = Array(3000).fill(0.5);
  const background = Array(100).fill(row);
  refused(
    () => explain(model, { instance: row, background }),
    /^explain: Kernel SHAP over 3000 features with 8,048 coalitions \(nsamples\) on 100 background rows would take about \d+ minutes \(805,000 model rows and 3\.6e\+10 operations of least squares\), more than the 5 minutes/,
  );
  refused(
    () => explainerShap(model, { instance: row, train: background }),
    /^explainerShap: Kernel SHAP over 3000 features/,
  );
  model.dispose();
});

Deno.test("checkExplainSize: small explanations pass; the time estimate grows with the model", () => {
  checkExplainSize("explain", { features: 10, backgroundRows: 100, method: "exact", nsamples: 0 });
  checkExplainSize("explain", {
    features: 3000,
    backgroundRows: 100,
    method: "kernel",
    nsamples: 8048,
    params: 3001, // a perceptron: ~25 s of least squares, allowed
  });
  assert.throws(
    () =>
      checkExplainSize("explain", {
        features: 16,
        backgroundRows: 100,
        method: "exact",
        nsamples: 0,
        params: 5e6,
      }),
    new RegExp(
      `^ArgumentError: explain: exact SHAP over 16 features \\(65,536 coalitions\\) on 100 ` +
        `background rows would take about \\d+ minutes .*more than the ${
          MAX_EXPLAIN_SECONDS / 60
        } minutes an explanation may take; use method: "kernel"`,
    ),
  );
});

Deno.test("train refuses epochs past 2^53 - 1 at the call (1e308 would never end)", () => {
  const model = perceptron({ inputs: 2, seed: 1 });
  model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  refused(
    () => train(model, [[1, 2]], [1], { epochs: 1e308 }),
    /^train: epochs must be a positive integer up to 2\^53 - 1 \(Number\.MAX_SAFE_INTEGER\), got 1e\+308$/,
  );
  model.dispose();
});

Deno.test("randomData refuses more than 50,000,000 values before drawing any", () => {
  refused(
    () => randomData({ rows: 1e9, features: 10 }),
    /^randomData: rows \* features must be at most 50,000,000, got 1000000000 \* 10$/,
  );
});

Deno.test("readableSize: powers of 1024 up to PB; NaN, negative and non-numbers refused", () => {
  assert.equal(readableSize(0), "0.00 B");
  assert.equal(readableSize(1536 * 1024), "1.50 MB");
  assert.equal(readableSize(2 ** 50), "1.00 PB");
  assert.equal(readableSize(2 ** 60), "1024.00 PB");
  for (const bad of [NaN, -1, Infinity, "3" as never, undefined as never]) {
    assert.throws(
      () => readableSize(bad),
      /^ArgumentError: readableSize: bytes must be a finite number >= 0, got /,
    );
  }
});
