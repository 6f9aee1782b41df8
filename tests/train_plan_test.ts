import assert from "node:assert/strict";
import { makePlan } from "../lib/train/plan.ts";

const base = {
  rows: 1000,
  batchSize: 30,
  epochs: 100,
  validationSplit: 0.3,
  shuffle: true,
  seed: 3,
};

Deno.test("makePlan: Keras's split (the LAST fraction validates) and batches", () => {
  const plan = makePlan("train", base);
  assert.equal(plan.trainRows, 700);
  assert.equal(plan.valRows, 300);
  assert.equal(plan.stepsPerEpoch, 24); // 23 batches of 30 and one of 10
  assert.equal(plan.validationSteps, 10);
  assert.deepEqual(plan.batches[0], [0, 30]);
  assert.deepEqual(plan.batches.at(-1), [690, 700]);
  // floor(rows * (1 - split)), as Keras and tfjs: 10 rows with 0.25 -> 7 train, 3 validate.
  const small = makePlan("train", { ...base, rows: 10, validationSplit: 0.25 });
  assert.deepEqual([small.trainRows, small.valRows], [7, 3]);
  const none = makePlan("train", { ...base, validationSplit: 0 });
  assert.deepEqual([none.trainRows, none.valRows, none.validationSteps], [1000, 0, 0]);
});

Deno.test("makePlan: each epoch is a permutation of the training rows only, fixed by the seed", () => {
  const plan = makePlan("train", base);
  const e0 = plan.epochOrder(0), e1 = plan.epochOrder(1);
  assert.deepEqual([...e0].sort((a, b) => a - b), Array.from({ length: 700 }, (_, i) => i));
  assert.notDeepEqual(e0, e1);
  assert.deepEqual(plan.epochOrder(0), e0); // pure: same epoch, same order, in any call order
  assert.deepEqual(makePlan("train", base).epochOrder(1), e1);
  assert.notDeepEqual(makePlan("train", { ...base, seed: 4 }).epochOrder(0), e0);
  assert.equal(plan.dropoutSeed, makePlan("train", base).dropoutSeed);
  assert.equal(plan.seed, 3);
});

Deno.test("makePlan: without shuffle rows go in data order; without seed the order is random", () => {
  const plan = makePlan("train", { ...base, shuffle: false });
  assert.deepEqual([...plan.epochOrder(5)], Array.from({ length: 700 }, (_, i) => i));
  const { seed: _, ...unseeded } = base;
  const a = makePlan("train", unseeded), b = makePlan("train", unseeded);
  assert.equal(a.seed, null);
  assert.notDeepEqual(a.epochOrder(0), b.epochOrder(0));
});

Deno.test("makePlan: a split that leaves no training or no validation row is an error", () => {
  assert.throws(
    // 1 - 1e-20 is 1 in float64, so floor(rows * (1 - split)) keeps every row.
    () => makePlan("train", { ...base, rows: 3, validationSplit: 1e-20 }),
    /train: validationSplit 1e-20 of 3 rows leaves no row to validate on/,
  );
  assert.throws(
    () => makePlan("train", { ...base, rows: 1, validationSplit: 0.5 }),
    /train: validationSplit 0.5 of 1 row leaves no row to train on/,
  );
});
