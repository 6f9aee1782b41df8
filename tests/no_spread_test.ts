/**
 * No spread of an array into call arguments in lib/ (issue 12): `Math.max(...values)`,
 * `push(...rows)` and `String.fromCharCode(...bytes)` overflow the call stack past ~100,000
 * values, so a long history, a large class or a wide model would crash. Loops instead.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { trainTestSplit } from "../lib/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;
// `...` as an argument of its own: right after the parenthesis or after a comma.
const SPREAD =
  /\b(?:Math\.(?:max|min)|push|unshift|fromCharCode|fromCodePoint)\((?:[^()[\]]*,\s*)?\.\.\./;

function* files(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* files(path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

Deno.test("no spread into call arguments anywhere in lib/ (comments aside)", () => {
  const found: string[] = [];
  for (const path of files(join(ROOT, "lib"))) {
    Deno.readTextFileSync(path).split("\n").forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "");
      if (/^\s*\*/.test(code)) return; // JSDoc
      if (SPREAD.test(code)) found.push(`${path.slice(ROOT.length)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});

Deno.test("trainTestSplit: a class of 300,000 rows splits (no spread over its members)", () => {
  const rows = 300_000;
  const x = Array.from({ length: rows }, (_, i) => [i]);
  const y = Array.from({ length: rows }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const { train, test } = trainTestSplit({ x, y }, { testSize: 0.2, seed: 1, stratify: true });
  assert.equal(train.x.length + test.x.length, rows);
  assert.equal(test.y.filter((v) => v === 1).length, 6_000); // stratified: 20% of 30,000
});
