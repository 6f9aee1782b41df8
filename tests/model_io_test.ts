import assert from "node:assert/strict";
import { join } from "node:path";
import {
  ArgumentError,
  binaryStep,
  deepNN,
  loadModel,
  perceptron,
  saveModel,
  tf,
} from "../lib/mod.ts";

function predict(model: tf.LayersModel, x: number[][]): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync()));
}

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
const WEIGHTS = /^weights\.[0-9a-f]{16}\.bin$/;
/** The one weights file the folder's model.json names. */
const weightsOf = (dir: string): string =>
  JSON.parse(Deno.readTextFileSync(join(dir, "model.json"))).weightsManifest[0].paths[0];

Deno.test("saveModel/loadModel: a trained DeepNN predicts the same after a round trip", async () => {
  const dir = join(await Deno.makeTempDir(), "deep");
  const model = deepNN({ features: 4, seed: 3 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const xs = tf.tensor2d([[0, 1, 0, 1], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1]]);
  const ys = tf.tensor2d([[1], [0], [1], [0]]);
  await model.fit(xs, ys, { epochs: 3, verbose: 0 });
  tf.dispose([xs, ys]);
  const before = tf.memory().numTensors;
  assert.equal(await saveModel(model, dir), dir);
  const [json, weights] = names(dir);
  assert.equal(json, "model.json");
  assert.match(weights, WEIGHTS);
  assert.equal(weightsOf(dir), weights);
  assert.equal(Deno.statSync(join(dir, weights)).size, model.countParams() * 4);
  const loaded = await loadModel(dir);
  const rows = [[0.1, 0.2, 0.3, 0.4], [1, 0, 0.5, 0.2]];
  assert.deepEqual(predict(loaded, rows), predict(model, rows));
  assert.equal(loaded.name, model.name);
  assert.deepEqual(loaded.layers.map((l) => l.name), model.layers.map((l) => l.name));
  loaded.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("saveModel/loadModel: binaryStep survives, and a second save replaces the first", async () => {
  const dir = join(await Deno.makeTempDir(), "step");
  await saveModel(perceptron({ inputs: 2 }), dir);
  const first = weightsOf(dir);
  const model = perceptron({
    inputs: 3,
    activation: binaryStep,
    initializer: "ones",
    style: "functional",
  });
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  assert.deepEqual(predict(loaded, [[1, 1, 1], [-1, -1, 0.5]]), [1, 0]);
  assert.equal(loaded.inputs[0].shape[1], 3);
  assert.notEqual(weightsOf(dir), first, "the new weights have a new name");
  assert.deepEqual(names(dir), ["model.json", weightsOf(dir)], "the old weights are removed");
  const siblings = [...Deno.readDirSync(join(dir, ".."))].map((e) => e.name);
  assert.deepEqual(siblings, ["step"], "nothing written beside the folder");
  loaded.dispose();
});

Deno.test("loadModel: a missing folder, a corrupt model.json or wrong-size weights name the file", async () => {
  const root = await Deno.makeTempDir();
  assert.throws(
    () => loadModel(join(root, "nothing")),
    /^ArgumentError: loadModel: dir must be the folder saveModel wrote \(it holds model\.json\), got ".*nothing". Nothing is at .*nothing$/,
  );
  const dir = join(root, "m");
  await saveModel(perceptron(), dir);
  const json = Deno.readTextFileSync(join(dir, "model.json"));
  Deno.writeFileSync(join(dir, weightsOf(dir)), new Uint8Array(12));
  await assert.rejects(
    loadModel(dir),
    /weights\.[0-9a-f]{16}\.bin holds 12 bytes, but .*model\.json describes 16 bytes/,
  );
  Deno.writeFileSync(join(dir, weightsOf(dir)), new Uint8Array(1));
  await assert.rejects(
    loadModel(dir),
    /weights\.[0-9a-f]{16}\.bin holds 1 byte, but .*model\.json describes 16 bytes of weights$/,
  );
  Deno.removeSync(join(dir, weightsOf(dir)));
  await assert.rejects(
    loadModel(dir),
    /^Error: loadModel: weights file .*m\/weights\.[0-9a-f]{16}\.bin named in .*m\/model\.json is missing$/,
  );
  Deno.writeTextFileSync(join(dir, "model.json"), json.slice(0, 40));
  await assert.rejects(loadModel(dir), /loadModel: .*m\/model\.json is not valid JSON/);
  Deno.writeTextFileSync(join(dir, "model.json"), "{}");
  await assert.rejects(loadModel(dir), /model\.json is not a tfjs Layers model/);
  const broken = JSON.parse(json);
  broken.weightsManifest[0].paths = "weights.bin";
  Deno.writeTextFileSync(join(dir, "model.json"), JSON.stringify(broken));
  await assert.rejects(
    loadModel(dir),
    /^Error: loadModel: .*model\.json is not a tfjs Layers model: each weightsManifest entry needs a paths list/,
  );
  assert.throws(() => loadModel(""), /loadModel: dir must be a folder path, got ""/);
});

Deno.test("saveModel: a bad model throws at the call and leaves nothing behind", async () => {
  const root = await Deno.makeTempDir();
  assert.throws(
    () => saveModel(tf.sequential(), join(root, "x")),
    /saveModel: model "sequential_\d+" is not built/,
  );
  assert.deepEqual([...Deno.readDirSync(root)], []);
});

/** Runs `body` with the working folder set to a new temporary folder, then restores it. */
async function inTempCwd(body: (root: string) => Promise<void>): Promise<void> {
  const before = Deno.cwd();
  const root = await Deno.makeTempDir();
  Deno.chdir(root);
  try {
    await body(root);
  } finally {
    Deno.chdir(before);
  }
}

Deno.test("saveModel/loadModel: a file:// URL names the folder as in tfjs-node, never a folder called file:", async () => {
  await inTempCwd(async (root) => {
    const model = perceptron({ inputs: 3, initializer: "ones" });
    const rows = [[1, -2, 0.5]];
    // What tfjs-node users write for model.save: relative, then absolute, then a URL object.
    assert.equal(await saveModel(model, "file://./savetest3"), "./savetest3");
    assert.deepEqual(names(root), ["savetest3"], "no folder named file:");
    assert.deepEqual(names(join(root, "savetest3")), ["model.json", weightsOf("savetest3")]);
    assert.equal(await saveModel(model, `file://${root}/abs`), `${root}/abs`);
    assert.equal(await saveModel(model, new URL(`file://${root}/my%20model`)), `${root}/my model`);
    assert.deepEqual(names(root), ["abs", "my model", "savetest3"]);
    const loads = [
      "file://./savetest3",
      "file://./savetest3/model.json", // as tf.loadLayersModel takes it
      `file://${root}/abs/model.json`,
      new URL(`file://${root}/my%20model/`),
    ];
    for (const where of loads) {
      const loaded = await loadModel(where);
      assert.deepEqual(predict(loaded, rows), predict(model, rows), String(where));
      loaded.dispose();
    }
    // Other tfjs stores are not the file system: refused at the call, nothing written.
    for (const where of ["downloads://m", "indexeddb://m", "file:./m", "file://"]) {
      assert.throws(
        () => saveModel(model, where),
        (e: Error) =>
          e instanceof ArgumentError &&
          e.message.startsWith(
            `saveModel: dir must be a folder path or a file:// URL, got ${JSON.stringify(where)}. `,
          ),
      );
    }
    assert.throws(
      () => loadModel(new URL("https://example.com/m/model.json")),
      /^ArgumentError: loadModel: dir must be a folder path or a file:\/\/ URL, got "https:\/\/example\.com\/m\/model\.json". loadModel reads from the file system/,
    );
    assert.deepEqual(names(root), ["abs", "my model", "savetest3"]);
    model.dispose();
  });
});

Deno.test("loadModel: the path of model.json loads its folder; another file or nothing there is an ArgumentError at the call", async () => {
  await inTempCwd(async (root) => {
    await saveModel(perceptron(), "wine-model");
    const loaded = await loadModel("wine-model/model.json");
    assert.equal(loaded.countParams(), 4);
    loaded.dispose();
    Deno.writeTextFileSync("wine.csv", "a,b\n1,2\n");
    Deno.mkdirSync("empty");
    const expected = (given: string, what: string) =>
      `loadModel: dir must be the folder saveModel wrote (it holds model.json), got ${
        JSON.stringify(given)
      }. ${what}`;
    const cases: [string, string][] = [
      ["wine.csv", `wine.csv (in ${root}) is a file, not a model folder`],
      ["nope", `Nothing is at nope (in ${root})`],
      ["wine.csv/model.json", `wine.csv (in ${root}) is a file, not a folder`],
      [
        "wine-model/model.json/model.json",
        `wine-model/model.json (in ${root}) is a file, not a folder`,
      ],
      ["empty", `empty (in ${root}) is a folder without model.json`],
      [join(root, "nope"), `Nothing is at ${join(root, "nope")}`],
    ];
    for (const [given, what] of cases) {
      assert.throws(
        () => loadModel(given),
        (e: Error) => {
          assert.ok(e instanceof ArgumentError, `${e.name}: ${e.message}`);
          assert.equal(e.argument, "dir");
          assert.equal(e.message, expected(given, what));
          return true;
        },
      );
    }
    assert.deepEqual(names(root), ["empty", "wine-model", "wine.csv"]);
  });
});

Deno.test("saveModel: an options argument is refused (it takes none), and nothing is written", async () => {
  const root = await Deno.makeTempDir();
  const model = perceptron();
  for (const extra of [{ overwrite: true }, "overwrite", {}]) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => (saveModel as any)(model, join(root, "m"), extra),
      (e: Error) => {
        assert.ok(e instanceof ArgumentError, `${e.name}: ${e.message}`);
        assert.equal(e.argument, "options");
        const shown = typeof extra === "string"
          ? '"overwrite"'
          : extra.overwrite
          ? "{ overwrite }"
          : "{}";
        assert.equal(
          e.message,
          `saveModel: saveModel takes no options, got ${shown} after dir; it already replaces ` +
            "a model it saved in that folder before, and never overwrites or deletes what it " +
            "did not write: call saveModel(model, dir)",
        );
        return true;
      },
    );
  }
  assert.throws(
    () => saveModel(model, join(root, "m", "model.json")),
    /^ArgumentError: saveModel: dir must be a folder path, got ".*m\/model\.json". saveModel writes a folder holding model\.json and its weights: pass the folder, not model\.json$/,
  );
  assert.deepEqual(names(root), []);
  model.dispose();
});

// ------------------------------------------------------------ never destroys user data

Deno.test("saveModel: a file at dir is refused at the call, and kept byte for byte", async () => {
  const file = join(await Deno.makeTempDir(), "notes.txt");
  Deno.writeTextFileSync(file, "my notes");
  assert.throws(
    () => saveModel(perceptron(), file),
    (e: Error) => {
      assert.ok(e instanceof ArgumentError);
      assert.equal(
        e.message,
        `saveModel: ${file} is a file, not a folder; saveModel writes a folder ` +
          "(model.json and its weights) and never overwrites a file",
      );
      return true;
    },
  );
  assert.equal(Deno.readTextFileSync(file), "my notes");
});

Deno.test("saveModel: a folder of other files (like a checkout) is refused, and left as it was", async () => {
  const dir = await Deno.makeTempDir();
  Deno.writeTextFileSync(join(dir, "README.md"), "# mine");
  Deno.writeTextFileSync(join(dir, "data.csv"), "a,b\n1,2\n");
  Deno.mkdirSync(join(dir, "src"));
  Deno.writeTextFileSync(join(dir, "weights.bin"), "not a model's");
  assert.throws(
    () => saveModel(perceptron(), dir),
    new RegExp(
      `^ArgumentError: saveModel: ${dir} holds files that are not a model saved by saveModel ` +
        `\\(".*", ".*", ".*" and 1 more\\); saveModel never overwrites or deletes what it did ` +
        "not write: choose a new or empty folder$",
    ),
  );
  assert.deepEqual(names(dir), ["README.md", "data.csv", "src", "weights.bin"]);
  assert.equal(Deno.readTextFileSync(join(dir, "weights.bin")), "not a model's");
});

Deno.test("saveModel: a model.json saveModel did not write is refused, and kept", async () => {
  const dir = await Deno.makeTempDir();
  const theirs = JSON.stringify({
    format: "layers-model",
    modelTopology: {},
    weightsManifest: [{ paths: ["group1-shard1of1.bin"], weights: [] }],
  });
  Deno.writeTextFileSync(join(dir, "model.json"), theirs);
  Deno.writeFileSync(join(dir, "group1-shard1of1.bin"), new Uint8Array(4));
  assert.throws(
    () => saveModel(perceptron(), dir),
    new RegExp(
      `^ArgumentError: saveModel: ${dir}/model\\.json was not written by saveModel \\(it has no ` +
        '"savedBy": "saveModel \\(deep-learning-notebooks\\)"\\); saveModel never overwrites a ' +
        "model it did not write",
    ),
  );
  Deno.writeTextFileSync(join(dir, "model.json"), "{ not json");
  assert.throws(
    () => saveModel(perceptron(), dir),
    /model\.json was not written by saveModel \(it is not valid JSON\)/,
  );
  assert.deepEqual(names(dir), ["group1-shard1of1.bin", "model.json"]);
});

Deno.test("saveModel: a model saved by version 0.1 (model.json + weights.bin) is replaced", async () => {
  const dir = join(await Deno.makeTempDir(), "m");
  await saveModel(perceptron({ inputs: 2, seed: 1 }), dir);
  const json = JSON.parse(Deno.readTextFileSync(join(dir, "model.json")));
  Deno.renameSync(join(dir, weightsOf(dir)), join(dir, "weights.bin"));
  // Exactly what 0.1 wrote: these keys in this order, weights in weights.bin.
  const old = {
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: null,
    modelTopology: json.modelTopology,
    trainingConfig: json.trainingConfig,
    weightsManifest: [{ paths: ["weights.bin"], weights: json.weightsManifest[0].weights }],
  };
  Deno.writeTextFileSync(join(dir, "model.json"), JSON.stringify(old));
  Deno.writeTextFileSync(join(dir, "README.md"), "mine");
  (await loadModel(dir)).dispose();
  await saveModel(perceptron({ inputs: 3, seed: 2 }), dir);
  assert.deepEqual(names(dir), ["README.md", "model.json", weightsOf(dir)]);
  const loaded = await loadModel(dir);
  assert.equal(loaded.countParams(), 4);
  loaded.dispose();
});

Deno.test("saveModel: a README beside a saved model survives the next saves", async () => {
  const dir = join(await Deno.makeTempDir(), "m");
  await saveModel(perceptron({ inputs: 2, seed: 1 }), dir);
  Deno.writeTextFileSync(join(dir, "README.md"), "trained on Tuesday");
  Deno.mkdirSync(join(dir, "plots"));
  Deno.writeTextFileSync(join(dir, "plots", "loss.svg"), "<svg/>");
  await saveModel(perceptron({ inputs: 3, seed: 2 }), dir);
  await saveModel(deepNN({ features: 3, seed: 3 }), dir);
  assert.deepEqual(names(dir), ["README.md", "model.json", "plots", weightsOf(dir)]);
  assert.equal(Deno.readTextFileSync(join(dir, "README.md")), "trained on Tuesday");
  assert.equal(Deno.readTextFileSync(join(dir, "plots", "loss.svg")), "<svg/>");
  const loaded = await loadModel(dir);
  assert.equal(loaded.countParams(), deepNN({ features: 3, seed: 3 }).countParams());
  loaded.dispose();
});

Deno.test("saveModel: the next save removes what a killed save left, and only that", async () => {
  const dir = join(await Deno.makeTempDir(), "m");
  // A first save killed before model.json: only leftovers, which a save accepts and cleans.
  Deno.mkdirSync(dir);
  Deno.writeFileSync(join(dir, ".saveModel-00112233445566ff.tmp"), new Uint8Array(7));
  Deno.writeFileSync(join(dir, "weights.00112233445566ff.bin"), new Uint8Array(7));
  await saveModel(perceptron({ seed: 1 }), dir);
  assert.deepEqual(names(dir), ["model.json", weightsOf(dir)]);
  // A later save killed after writing its weights: an orphan weights file and a temp file.
  Deno.writeFileSync(join(dir, "weights.aaaaaaaaaaaaaaaa.bin"), new Uint8Array(16));
  Deno.writeFileSync(join(dir, ".saveModel-aaaaaaaaaaaaaaaa.tmp"), new Uint8Array(3));
  Deno.writeTextFileSync(join(dir, ".saveModel-notes.tmp"), "not ours: wrong shape of name");
  Deno.writeTextFileSync(join(dir, "weights.final.bin"), "not ours either");
  await saveModel(perceptron({ seed: 2 }), dir);
  assert.deepEqual(names(dir), [
    ".saveModel-notes.tmp",
    "model.json",
    weightsOf(dir),
    "weights.final.bin",
  ]);
});

Deno.test("saveModel: two saves to one folder at once both succeed, the last one wins", async () => {
  const dir = join(await Deno.makeTempDir(), "m");
  const a = perceptron({ inputs: 2, seed: 1 });
  const b = deepNN({ features: 4, seed: 2 });
  for (let i = 0; i < 5; i++) {
    const order: string[] = [];
    await Promise.all([
      saveModel(a, dir).then(() => order.push("a")),
      saveModel(b, dir).then(() => order.push("b")),
    ]);
    const loaded = await loadModel(dir);
    const last = order[1] === "a" ? a : b;
    assert.equal(loaded.countParams(), last.countParams(), `round ${i}: ${order}`);
    loaded.dispose();
    assert.deepEqual(names(dir), ["model.json", weightsOf(dir)]);
  }
});

// ------------------------------------------------------------ loadModel stays in its folder

Deno.test("loadModel: weights paths outside the folder (../, absolute, a link out) are refused", async () => {
  const root = await Deno.makeTempDir();
  const dir = join(root, "m");
  await saveModel(perceptron(), dir);
  const json = JSON.parse(Deno.readTextFileSync(join(dir, "model.json")));
  const own = json.weightsManifest[0].paths[0];
  // A file outside of exactly the right size, so only the path can give it away.
  Deno.copyFileSync(join(dir, own), join(root, "secret.bin"));
  const pointTo = (path: string) => {
    json.weightsManifest[0].paths = [path];
    Deno.writeTextFileSync(join(dir, "model.json"), JSON.stringify(json));
  };
  for (const path of ["../secret.bin", "sub/../../secret.bin", join(root, "secret.bin")]) {
    pointTo(path);
    await assert.rejects(
      loadModel(dir),
      new RegExp(
        `^Error: loadModel: .*model\\.json names weights file ${
          JSON.stringify(path).replaceAll(".", "\\.")
        }, outside .*; loadModel reads only inside the model's folder$`,
      ),
    );
  }
  Deno.symlinkSync(join(root, "secret.bin"), join(dir, "link.bin"));
  pointTo("link.bin");
  await assert.rejects(
    loadModel(dir),
    /^Error: loadModel: .*model\.json names weights file .*link\.bin, a link to .*secret\.bin outside .*; loadModel reads only inside the model's folder$/,
  );
  // model.json itself may not lead out either.
  const outer = join(root, "outer.json");
  Deno.writeTextFileSync(outer, JSON.stringify(json));
  Deno.removeSync(join(dir, "model.json"));
  Deno.symlinkSync(outer, join(dir, "model.json"));
  await assert.rejects(
    loadModel(dir),
    /^Error: loadModel: .*m\/model\.json is a link to .*outer\.json outside .*; loadModel reads only inside the model's folder$/,
  );
  Deno.removeSync(join(dir, "model.json"));
  // A link that stays inside the folder is fine.
  Deno.symlinkSync(own, join(dir, "inside.bin"));
  pointTo("inside.bin");
  (await loadModel(dir)).dispose();
});

Deno.test("loadModel: a load that fails leaves no tensor and no variable behind", async () => {
  const dir = join(await Deno.makeTempDir(), "m");
  await saveModel(deepNN({ features: 3, seed: 1 }), dir);
  const good = JSON.parse(Deno.readTextFileSync(join(dir, "model.json")));
  // Weights of the right total size under names the model does not have: fails after build.
  const renamed = structuredClone(good);
  for (const w of renamed.weightsManifest[0].weights) w.name = `other/${w.name}`;
  // A topology whose last layer cannot be built: fails half-way through building.
  const halfBuilt = structuredClone(good);
  const layers = halfBuilt.modelTopology.config.layers;
  layers[layers.length - 1].class_name = "NoSuchLayer";
  const variables = () => Object.keys(tf.engine().registeredVariables).length;
  const before = { tensors: tf.memory().numTensors, variables: variables() };
  const cases = [
    [
      renamed,
      /weightsManifest does not match its topology: it names weights the model does not have \("other\//,
    ],
    [halfBuilt, /could not be turned into a model: .*NoSuchLayer/],
  ] as const;
  for (const [json, message] of cases) {
    Deno.writeTextFileSync(join(dir, "model.json"), JSON.stringify(json));
    for (let i = 0; i < 20; i++) {
      await assert.rejects(loadModel(dir), (e: Error) => message.test(e.message));
    }
  }
  assert.deepEqual({ tensors: tf.memory().numTensors, variables: variables() }, before);
});

// ------------------------------------------------------------ real processes, real kills

const LOOP = new URL("./save_loop.ts", import.meta.url).pathname;

function saver(dir: string, count?: number, killAt?: number): Deno.ChildProcess {
  const args = [String(count ?? "Infinity"), ...(killAt === undefined ? [] : [String(killAt)])];
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", LOOP, dir, ...(count === undefined && killAt === undefined ? [] : args)],
    env: { DLNB_BACKEND: "cpu" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Counts a saver's "saved" lines as they come; `ended` once its output closes. */
function countSaves(child: Deno.ChildProcess): { saves: () => number; ended: () => boolean } {
  let saves = 0;
  let ended = false;
  (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      saves += chunk.match(/saved\n/g)?.length ?? 0;
    }
  })().catch(() => {}).finally(() => ended = true);
  return { saves: () => saves, ended: () => ended };
}

/** The two models save_loop.ts saves in turn, by parameter count. */
const LOOP_PARAMS = [deepNN({ features: 3 }).countParams(), deepNN({ features: 5 }).countParams()];

Deno.test("saveModel: killed with SIGKILL before each file step of a save, the folder loads the old or the new model", async () => {
  // Not random moments: the saver kills itself just before step k of its second save (k = 0, 1,
  // ...: every open, write, sync, lock, rename, remove), until a save has no step k left.
  const dir = join(await Deno.makeTempDir(), "m");
  await saveModel(perceptron(), dir);
  Deno.writeTextFileSync(join(dir, "README.md"), "keep me");
  const loadedParams = new Set<number>();
  let k = 0;
  for (;; k++) {
    const r = await saver(dir, 2, k).output();
    const err = new TextDecoder().decode(r.stderr);
    if (r.success) break; // the second save finished: it has k steps
    assert.equal(r.signal, "SIGKILL", err);
    assert.match(err, new RegExp(`^killed before step ${k}: `), err);
    const loaded = await loadModel(dir);
    assert.ok(LOOP_PARAMS.includes(loaded.countParams()), `killed before step ${k}`);
    loadedParams.add(loaded.countParams());
    loaded.dispose();
  }
  assert.ok(k >= 8, `a save takes ${k} file steps`);
  // Kills before the switch left the old model, kills after it the new one: both were seen.
  assert.deepEqual([...loadedParams].sort(), [...LOOP_PARAMS].sort());
  assert.equal(Deno.readTextFileSync(join(dir, "README.md")), "keep me");
  await saveModel(perceptron(), dir);
  assert.deepEqual(names(dir), ["README.md", "model.json", weightsOf(dir)]);
});

Deno.test("loadModel: loads racing another process's saves never fail", async () => {
  const dir = join(await Deno.makeTempDir(), "m");
  await saveModel(perceptron(), dir);
  const child = saver(dir);
  const counter = countSaves(child);
  let loads = 0;
  const failures: string[] = [];
  // Not timed: at least 20 loads, and loading goes on while the saver saves 10 times.
  let first = -1;
  while (loads < 20 || first < 0 || counter.saves() < first + 10) {
    if (counter.ended()) break; // the saver died: the assertions below say so
    if (first < 0 && counter.saves() >= 1) first = counter.saves();
    try {
      const model = await loadModel(dir);
      const params = model.countParams();
      // The perceptron until the saver's first save, then only the saver's models.
      if (first >= 0) assert.ok(LOOP_PARAMS.includes(params), `${params} parameters`);
      model.dispose();
    } catch (e) {
      failures.push((e as Error).message);
    }
    loads++;
  }
  const saves = counter.saves();
  child.kill("SIGKILL");
  await child.status;
  await child.stderr.cancel();
  assert.ok(!counter.ended() || saves >= first + 10, `the saver ended after ${saves} saves`);
  assert.deepEqual(failures, []);
  assert.ok(first >= 1 && saves >= first + 10, `${saves} saves while loading`);
});

Deno.test("saveModel: two processes saving to one folder at once both finish", async () => {
  const dir = join(await Deno.makeTempDir(), "m");
  const children = [saver(dir, 20), saver(dir, 20)];
  const results = await Promise.all(children.map((c) => c.output()));
  for (const r of results) {
    assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    assert.equal(new TextDecoder().decode(r.stdout), "saved\n".repeat(20));
  }
  const loaded = await loadModel(dir);
  assert.ok(LOOP_PARAMS.includes(loaded.countParams()));
  loaded.dispose();
  assert.deepEqual(names(dir), ["model.json", weightsOf(dir)]);
});
