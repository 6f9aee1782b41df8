/**
 * The bench's helpers (no timing here: speed is `deno task bench`'s, never a test's): the FLOPs
 * every peer's work is checked against, the data files every peer reads, and the ceiling loop.
 */
import assert from "node:assert/strict";
import {
  dataModelBytes,
  makeData,
  MNIST,
  readData,
  type Run,
  steps,
  trainFlops,
  widths,
  writeData,
} from "../bench/runs.ts";
import { flopsRow, peerFlops, type PeerResult, runFlops } from "../bench/peer_rows.ts";
import { FLOPS_PER_ITERATION, fmaModuleBytes } from "../bench/wasm_ceiling.ts";
import { benchVenv, ensurePeerPython } from "../bench/peer_venv.ts";

const TINY: Run = {
  key: "mnist",
  group: "tiny",
  rows: 50,
  features: 20,
  hidden: [8, 4],
  outputs: 10,
  dropout: 0,
  epochs: 2,
  batch: 16,
};

Deno.test("trainFlops: forward, weight and input gradients (none into the data)", () => {
  // 784·512 + 512·256 + 256·10 = 535,040 multiply-adds forward; 401,408 of them in layer 1.
  assert.deepEqual(trainFlops([784, 512, 256, 10], 1), 2 * (3 * 535_040 - 401_408));
  assert.deepEqual(runFlops(MNIST), 2 * (3 * 535_040 - 401_408) * 120_000);
  assert.deepEqual(steps(MNIST), 469 * 2);
  assert.deepEqual(widths(MNIST), [784, 512, 256, 10]);
});

Deno.test("peer FLOPs: read from the layers and rows a peer reports, as each peer prints them", () => {
  const layers = [[784, 512], [512, 256], [256, 10]];
  // scikit-learn counts rows seen (t_), PyTorch its batches' rows, Keras rows x epochs.
  const peers: PeerResult[] = [
    { engine: "scikit-learn", peer: "sklearn", set: "pip", seconds: 1, layers, samples: 120_000 },
    { engine: "pytorch", peer: "torch", set: "pip", seconds: 1, layers, samples: 120_000 },
    { engine: "keras", peer: "keras", set: "pip", seconds: 1, layers, samples: 120_000 },
  ];
  for (const p of peers) assert.deepEqual(peerFlops(p), runFlops(MNIST));
  assert.deepEqual(flopsRow(MNIST, peers, runFlops(MNIST)).met, true);
  // One epoch short, or a narrower layer, is other work: the row says which peer.
  const short = { ...peers[1], samples: 60_000 };
  const row = flopsRow(MNIST, [peers[0], short], runFlops(MNIST));
  assert.deepEqual(row.met, false);
  assert.deepEqual(row.note, "differ: pytorch");
  const narrow = { ...peers[2], layers: [[784, 256], [256, 256], [256, 10]] };
  assert(peerFlops(narrow)! < runFlops(MNIST));
  // Peers without a figure (not installed) are not compared.
  const missing = { engine: "torch", peer: "torch", set: "debian", error: "not installed" };
  assert.deepEqual(flopsRow(MNIST, [missing], runFlops(MNIST)).met, true);
});

Deno.test("data + model: float32 x, y, weights and Adam's two moments", () => {
  const params = 784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10;
  assert.deepEqual(dataModelBytes(MNIST), { data: 4 * 60_000 * 785, model: 12 * params });
});

Deno.test("bench data: seeded, labels in range, and the file every peer reads gives it back", () => {
  const a = makeData(TINY), b = makeData(TINY);
  assert.deepEqual(a, b);
  assert(a.x.every((v) => v >= 0 && v < 1));
  assert(a.y.every((v) => Number.isInteger(v) && v >= 0 && v < 10));
  // The label is the class whose features (j mod 10) sum highest.
  const sums = Array(10).fill(0);
  for (let j = 0; j < TINY.features; j++) sums[j % 10] += a.x[j];
  assert.deepEqual(a.y[0], sums.indexOf(Math.max(...sums)));
  const dir = Deno.makeTempDirSync();
  try {
    const files = writeData(dir, TINY, a);
    assert.deepEqual(Deno.statSync(files.x).size, 4 * TINY.rows * TINY.features);
    assert.deepEqual(readData(dir, TINY), a);
    Deno.writeFileSync(files.y, new Uint8Array(12));
    assert.throws(() => readData(dir, TINY), /has 12 bytes, expected 200/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("wasm ceiling loop: does its multiply-adds (fused and unfused modules)", () => {
  for (const relaxed of [true, false]) {
    const bytes = fmaModuleBytes(relaxed);
    if (!WebAssembly.validate(bytes)) {
      assert(relaxed, "the mul + add module must validate everywhere");
      continue;
    }
    const { fma } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
      fma: (n: number, b: number, c: number) => number;
    };
    // Each accumulator runs a <- a·b + c from 0 n times: c·(1 - b^n) / (1 - b); 12 of them.
    const n = 5, b = 0.5, c = 1;
    assert.deepEqual(fma(n, b, c), 12 * (c * (1 - b ** n)) / (1 - b));
  }
  assert.deepEqual(FLOPS_PER_ITERATION, 96);
});

Deno.test("pip peers' venv: a folder there that is not a venv is left alone, and said", async () => {
  const cache = Deno.makeTempDirSync();
  const before = Deno.env.get("XDG_CACHE_HOME");
  try {
    Deno.env.set("XDG_CACHE_HOME", cache);
    const venv = benchVenv();
    Deno.mkdirSync(venv, { recursive: true });
    Deno.writeTextFileSync(`${venv}/mine.txt`, "not the bench's");
    const got = await ensurePeerPython();
    assert.equal(got.python, undefined);
    assert.deepEqual([...got.missing.keys()], ["sklearn", "torch", "keras"]);
    assert.match(got.missing.get("torch")!, /exists and was not made by this setup; left alone/);
    assert.deepEqual([...Deno.readDirSync(venv)].map((e) => e.name), ["mine.txt"]);
  } finally {
    if (before === undefined) Deno.env.delete("XDG_CACHE_HOME");
    else Deno.env.set("XDG_CACHE_HOME", before);
    Deno.removeSync(cache, { recursive: true });
  }
});
