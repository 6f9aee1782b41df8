import assert from "node:assert/strict";
import { randomData } from "../lib/data/random_data.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { rng } from "../lib/core/random.ts";

Deno.test("randomData: the article's 1000 x 10 uniform features and 0/1 labels by default", () => {
  const { x, y, featureNames, task } = randomData({ seed: 42 });
  assert.equal(task, "classification");
  assert.equal(x.length, 1000);
  assert.ok(x.every((row) => row.length === 10 && row.every((v) => v >= 0 && v < 1)));
  assert.equal(y.length, 1000);
  assert.ok(y.every((v) => v === 0 || v === 1));
  const ones = y.filter((v) => v === 1).length;
  assert.ok(ones > 430 && ones < 570, `about half ones, got ${ones}`);
  assert.deepEqual(featureNames.slice(0, 3), ["x1", "x2", "x3"]);
  assert.equal(featureNames.length, 10);
});

Deno.test("randomData: same seed, same numbers; drawn as documented (x row by row, then y)", () => {
  const a = randomData({ rows: 5, features: 3, seed: 7 });
  assert.deepEqual(randomData({ rows: 5, features: 3, seed: 7 }), a);
  assert.notDeepEqual(randomData({ rows: 5, features: 3, seed: 8 }).x, a.x);
  const r = rng(7);
  const x = Array.from({ length: 5 }, () => [r.next(), r.next(), r.next()]);
  const y = Array.from({ length: 5 }, () => (r.next() < 0.5 ? 1 : 0));
  assert.deepEqual(a.x, x);
  assert.deepEqual(a.y, y);
});

Deno.test("randomData: regression gives a continuous target in [0, 1)", () => {
  const { y, task } = randomData({ rows: 200, task: "regression", seed: 1 });
  assert.equal(task, "regression");
  assert.ok(y.every((v) => v >= 0 && v < 1));
  assert.ok(new Set(y).size > 190);
});

Deno.test("randomData: bad options name the argument", () => {
  const bad: [unknown, RegExp][] = [
    [{ rows: 0 }, /randomData: rows must be a positive integer, got 0/],
    [{ features: 2.5 }, /randomData: features must be a positive integer, got 2.5/],
    [{ task: "clustering" }, /randomData: task must be one of "classification", "regression"/],
    [{ seed: -1 }, /randomData: seed must be an integer from 0 to 4294967295, got -1/],
    [{ rows: 1e7, features: 10 }, /rows \* features must be at most 50,000,000/],
    ["big", /randomData: options must be an object/],
  ];
  for (const [options, message] of bad) {
    assert.throws(
      () => randomData(options as never),
      (e: Error) => e instanceof ArgumentError && message.test(e.message),
    );
  }
});
