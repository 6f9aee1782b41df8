import assert from "node:assert/strict";
import { once } from "../lib/core/once.ts";

Deno.test("once: a load runs once and is shared; a failed load is forgotten and retried", async () => {
  let runs = 0;
  const fails = once(() => {
    runs++;
    return Promise.reject(new Error(`load ${runs} failed`));
  });
  await assert.rejects(fails(), /load 1 failed/);
  await assert.rejects(fails(), /load 2 failed/);
  let loads = 0;
  let fail = true;
  const flaky = once(() => {
    loads++;
    return fail ? Promise.reject(new Error("not yet")) : Promise.resolve(loads);
  });
  const [a, b] = await Promise.allSettled([flaky(), flaky()]);
  assert.equal(a.status, "rejected");
  assert.equal(b.status, "rejected");
  assert.equal(loads, 1); // callers during one load share it
  fail = false;
  assert.equal(await flaky(), 2);
  assert.equal(await flaky(), 2);
  assert.equal(loads, 2);
  const throwsSync = once((): Promise<number> => {
    throw new Error("sync");
  });
  await assert.rejects(throwsSync(), /sync/);
});
