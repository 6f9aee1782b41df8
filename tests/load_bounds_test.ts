/**
 * loadModel on folders that cannot be trusted: tiny crafted folders (a few KB each, sparse
 * files made with Deno.truncate, a FIFO) whose model.json claims large shapes, and
 * metadata that lies. Each is refused with the lib's error before anything large is
 * allocated; the size cases run in a child process whose memory growth is measured.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ArgumentError, deepNN, fromRecords, loadModel, saveModel, tf } from "../lib/mod.ts";
import { attachPreprocessing } from "../lib/predict/attach.ts";

const MB = 2 ** 20;

/** A model.json, edited freely to craft damaged and hostile files. */
// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function savedModel(): Promise<{ dir: string; json: Json }> {
  const dir = join(await Deno.makeTempDir(), "m");
  await saveModel(deepNN({ features: 3, seed: 1 }), dir);
  return { dir, json: JSON.parse(Deno.readTextFileSync(join(dir, "model.json"))) };
}

function weightsPath(dir: string, json: Json): string {
  return join(dir, json.weightsManifest[0].paths[0]);
}

function write(dir: string, json: unknown): void {
  Deno.writeTextFileSync(join(dir, "model.json"), JSON.stringify(json));
}

const CHILD = `
import { loadModel } from ${JSON.stringify(new URL("../lib/mod.ts", import.meta.url).href)};
const rss = () => Deno.memoryUsage().rss;
const before = rss();
let peak = before;
const timer = setInterval(() => { peak = Math.max(peak, rss()); }, 5);
let error = null;
try {
  (await loadModel(Deno.args[0], JSON.parse(Deno.args[1]))).dispose();
} catch (e) {
  error = { name: e.name, message: e.message };
}
peak = Math.max(peak, rss());
clearInterval(timer);
console.log(JSON.stringify({ error, growth: peak - before }));
`;
let childScript: string | undefined;

/**
 * loadModel(dir) in a child process capped at 1.5 GB of data memory: its error and its
 * memory growth; killed after 60 s.
 */
async function loadInChild(
  dir: string,
  options: object = {},
): Promise<{ error: { name: string; message: string } | null; growth: number }> {
  if (!childScript) {
    childScript = join(await Deno.makeTempDir(), "load.ts");
    Deno.writeTextFileSync(childScript, CHILD);
  }
  // prlimit (util-linux) caps the child's data memory (array buffers and wasm memory
  // included), so a regression fails there instead of taking the machine's memory.
  const out = await new Deno.Command("prlimit", {
    args: [
      `--data=${1500 * MB}`,
      Deno.execPath(),
      "run",
      "-A",
      "--v8-flags=--max-old-space-size=300",
      childScript,
      dir,
      JSON.stringify(options),
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("loadModel: model.json claiming 10 billion parameters is refused before reading, in bounded memory", async () => {
  const { dir, json } = await savedModel();
  json.weightsManifest[0].weights[0].shape = [100_000, 100_000];
  write(dir, json);
  const { error, growth } = await loadInChild(dir);
  assert.equal(error?.name, "ArgumentError");
  assert.match(
    error!.message,
    /^loadModel: .*model\.json declares weights that make 10,000,000,007 parameters \(37\.25 GB\), more than the 1\.00 GB loadModel reads \(maxBytes\); if you trust this model, pass \{ maxBytes: 40000000028 \}$/,
  );
  assert.ok(growth < 100 * MB, `memory grew ${growth / MB} MB`);
});

Deno.test("loadModel: a sparse 2 GB weights file is refused by size alone, in bounded memory", async () => {
  const { dir, json } = await savedModel();
  // Declared as 2 GiB of float32, and a file of that size (sparse: no disk used).
  json.weightsManifest[0].weights = [{ name: "h1/kernel", shape: [2 ** 29], dtype: "float32" }];
  write(dir, json);
  await Deno.truncate(weightsPath(dir, json), 2 ** 31);
  const declared = await loadInChild(dir);
  assert.match(
    declared.error!.message,
    /declares weights that make 536,870,912 parameters \(2\.00 GB\)/,
  );
  assert.ok(declared.growth < 100 * MB, `memory grew ${declared.growth / MB} MB`);
  // The real manifest with the sparse file: the sizes disagree, so nothing is read.
  const { dir: dir2, json: json2 } = await savedModel();
  await Deno.truncate(weightsPath(dir2, json2), 2 ** 31);
  const mismatch = await loadInChild(dir2, { maxBytes: 2 ** 32 });
  assert.match(
    mismatch.error!.message,
    /holds 2147483648 bytes, but .*model\.json describes 52 bytes of weights$/,
  );
  assert.ok(mismatch.growth < 100 * MB, `memory grew ${mismatch.growth / MB} MB`);
});

Deno.test("loadModel: a topology that builds more than its manifest declares is refused before allocating", async () => {
  const { dir, json } = await savedModel();
  const layers = json.modelTopology.config.layers;
  const h1 = layers.find((l: { config: { name: string } }) => l.config.name === "h1");
  h1.config.units = 1_000_000_000; // a 3 x 1e9 kernel: 12 GB if it were built
  write(dir, json);
  const { error, growth } = await loadInChild(dir);
  assert.equal(error?.name, "ArgumentError");
  assert.match(
    error!.message,
    /model\.json's topology builds weights of more than the 13 parameters its weightsManifest declares \(weight "kernel" of shape \[3,1000000000\]\)/,
  );
  assert.ok(growth < 100 * MB, `memory grew ${growth / MB} MB`);
  // In this process: nothing left behind.
  const variables = () => Object.keys(tf.engine().registeredVariables).length;
  const before = { tensors: tf.memory().numTensors, variables: variables() };
  await assert.rejects(loadModel(dir), /topology builds weights of more than/);
  assert.deepEqual({ tensors: tf.memory().numTensors, variables: variables() }, before);
});

Deno.test("loadModel: maxBytes refuses a model larger than asked, and raises the limit", async () => {
  const { dir } = await savedModel(); // 13 parameters, 52 bytes
  await assert.rejects(loadModel(dir, { maxBytes: 51 }), (e: Error) => {
    assert.ok(e instanceof ArgumentError);
    assert.equal(e.argument, "maxBytes");
    assert.match(
      e.message,
      /make 13 parameters \(52\.00 B\), more than the 51\.00 B .*\{ maxBytes: 52 \}/,
    );
    return true;
  });
  const model = await loadModel(dir, { maxBytes: 52 });
  assert.equal(model.countParams(), 13);
  model.dispose();
  assert.throws(
    () => loadModel(dir, { maxBytes: -1 }),
    /loadModel: maxBytes must be an integer >= 0, got -1/,
  );
  assert.throws(() => loadModel(dir, { maxbytes: 1 } as never), /did you mean "maxBytes"/);
});

Deno.test("loadModel: a FIFO as weights file or model.json is refused at once, never read", async () => {
  const { dir, json } = await savedModel();
  const weights = weightsPath(dir, json);
  Deno.removeSync(weights);
  const mk = await new Deno.Command("mkfifo", { args: [weights] }).output();
  assert.equal(mk.code, 0);
  const start = performance.now();
  await assert.rejects(loadModel(dir), (e: Error) => {
    assert.ok(e instanceof ArgumentError, String(e));
    assert.match(
      e.message,
      /weights\.[0-9a-f]{16}\.bin is a FIFO \(named pipe\); loadModel reads only regular files$/,
    );
    return true;
  });
  const fifoJson = join(await Deno.makeTempDir(), "f");
  Deno.mkdirSync(fifoJson);
  await new Deno.Command("mkfifo", { args: [join(fifoJson, "model.json")] }).output();
  await assert.rejects(loadModel(fifoJson), /model\.json is a FIFO \(named pipe\)/);
  assert.ok(performance.now() - start < 10_000, "no hang");
});

Deno.test("loadModel: a model.json over 32 MiB is refused before it is read", async () => {
  const dir = await Deno.makeTempDir();
  Deno.writeTextFileSync(join(dir, "model.json"), "{");
  await Deno.truncate(join(dir, "model.json"), 100 * MB); // sparse
  await assert.rejects(
    loadModel(dir),
    /model\.json holds 100\.00 MB, more than the 32\.00 MB a model\.json may take/,
  );
});

Deno.test("loadModel: a weight listed twice is an error, and leaves no tensor behind", async () => {
  const { dir, json } = await savedModel();
  const w = json.weightsManifest[0].weights;
  w.push(structuredClone(w[w.length - 1])); // output/bias again, 4 more bytes
  write(dir, json);
  const file = weightsPath(dir, json);
  const bytes = Deno.readFileSync(file);
  Deno.writeFileSync(file, new Uint8Array([...bytes, ...bytes.subarray(bytes.length - 4)]));
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) {
    await assert.rejects(loadModel(dir), (e: Error) => {
      assert.ok(e instanceof ArgumentError, String(e));
      assert.match(
        e.message,
        /model\.json lists weight "output\/bias" twice; each weight is stored once/,
      );
      return true;
    });
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("loadModel: a preprocessing in model.json that cannot be used is an ArgumentError, nothing left", async () => {
  const table = fromRecords([{ a: 1, b: "x", y: 0.5 }, { a: 2, b: "z", y: 1.5 }], {
    target: "y",
    categorical: ["b"],
  });
  const model = deepNN({ features: 3, task: "regression", seed: 1 });
  attachPreprocessing(model, { table });
  const dir = join(await Deno.makeTempDir(), "m");
  await saveModel(model, dir);
  const good = JSON.parse(Deno.readTextFileSync(join(dir, "model.json")));
  const variables = () => Object.keys(tf.engine().registeredVariables).length;
  const before = { tensors: tf.memory().numTensors, variables: variables() };
  const cases: [(p: Json) => unknown, RegExp][] = [
    [(p) => (p.version = 2), /preprocessing\.version must be 1, got 2/],
    [(p) => (p.scaler = { mean: [0, 0, 0], std: [1, 0, 1] }), /preprocessing\.scaler must be/],
    [
      (p) => (p.featureNames = ["a", "b=x", "b=y"]),
      /preprocessing\.featureNames must be the features' inputs/,
    ],
    [
      (p) => (p.features[1].levels = Array.from({ length: 200_000 }, (_, i) => `l${i}`)),
      /levels must be an array of 1 to 100000 names/,
    ],
    [
      (p) => (p.features[0].column = "x".repeat(5000)),
      /features\[0\]\.column must be a name of 1 to 1000 characters/,
    ],
    [(p) => (p.task = "classification"), /classNames must be an array/],
    [(p) => (p.evil = "__proto__"), /preprocessing\.evil must be absent/],
    [
      (p) => (p.features = [{ column: "a", kind: "number" }]),
      /featureNames must be the features' inputs in order \(1 names\)/,
    ],
  ];
  for (const [change, message] of cases) {
    const json = structuredClone(good);
    change(json.userDefinedMetadata.preprocessing);
    write(dir, json);
    await assert.rejects(loadModel(dir), (e: Error) => {
      assert.ok(e instanceof ArgumentError, String(e));
      assert.match(
        e.message,
        /^loadModel: .*model\.json carries a preprocessing that cannot be used: /,
      );
      assert.match(e.message, message);
      return true;
    });
  }
  // Well-formed, but for another model: 4 inputs.
  const json = structuredClone(good);
  const p = json.userDefinedMetadata.preprocessing;
  p.features.push({ column: "c", kind: "number" });
  p.featureNames.push("c");
  write(dir, json);
  await assert.rejects(
    loadModel(dir),
    /loadModel: model "DeepNN" takes 3 inputs, but the preprocessing makes 4/,
  );
  json.userDefinedMetadata = [];
  write(dir, json);
  await assert.rejects(loadModel(dir), /userDefinedMetadata must be an object/);
  assert.deepEqual({ tensors: tf.memory().numTensors, variables: variables() }, before);
  // Other savers' metadata is no concern of loadModel.
  json.userDefinedMetadata = { note: "mine" };
  write(dir, json);
  (await loadModel(dir)).dispose();
});
