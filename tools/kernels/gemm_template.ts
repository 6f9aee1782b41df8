/**
 * The template of the fused engine's matrix kernel: writes the WebAssembly text of
 * `lib/train/fused/kernels/gemm_<variant>.wat`, unrolling the register-blocked loops (4 or 1
 * rows x 8, 4 or 1 columns) that would be tedious and error-prone by hand. Everything that
 * needs no unrolling is hand-written .wat next to it. Run `deno task kernels` after a change.
 *
 * What the kernel computes, for byte addresses `a`, `b`, `c`, `bias`, `gate` in the imported
 * memory: `c[i][j] = epilogue(sum_p a[i*aRow + p*aCol] * b[p*n + j])` for `i < m`, `j < n`;
 * `b` and `c` row-major (`k x n`, `m x n`), `a` read through its strides (so `a` or `aᵀ`); the
 * epilogue adds `bias[j]` (if `bias` is not 0), clamps at 0 (if `relu`), and zeroes where
 * `gate[i][j] > 0` is false (if `gate` is not 0).
 *
 * Every element of `c` is the same sequence of multiply-adds over `p = 0 .. k-1` whatever block
 * computes it (the 4-row blocks, the last rows, the last 4 columns and single columns all use
 * the same instruction), so results do not depend on how rows are split between threads.
 *
 * @module
 */

/** How a multiply-add is done: `relaxed` = `f32x4.relaxed_madd` (fused where the CPU has FMA). */
export type MaddKind = "relaxed" | "plain";

/** Rows and 4-lane vectors of the main block. */
const MR = 4, NV = 2;

const acc = (r: number, v: number) => `$acc${r}_${v}`;
const ZERO = "(v128.const i32x4 0 0 0 0)";

/** `va * vb + acc`, as one relaxed multiply-add or as a multiply then an add. */
function madd(kind: MaddKind, va: string, vb: string, sum: string): string {
  return kind === "relaxed"
    ? `(f32x4.relaxed_madd (local.get ${va}) (local.get ${vb}) (local.get ${sum}))`
    : `(f32x4.add (f32x4.mul (local.get ${va}) (local.get ${vb})) (local.get ${sum}))`;
}

/**
 * `address + 16 v` as an add (not a memarg offset: V8 compiles offsets on a shared memory into
 * slower code, 38 vs 45 GFLOP/s here).
 */
function plus(address: string, v: number): string {
  return v > 0 ? `(i32.add ${address} (i32.const ${16 * v}))` : address;
}

/** The byte address of element (row `r`, column `$j + 4v`) of a matrix from row pointer `row`. */
function at(row: string, r: number): string {
  const rowAt = r === 0
    ? `(local.get ${row})`
    : `(i32.add (local.get ${row}) (i32.mul (local.get $nb) (i32.const ${r})))`;
  return `(i32.add ${rowAt} (i32.shl (local.get $j) (i32.const 2)))`;
}

function indent(lines: string[], by: number): string[] {
  const pad = " ".repeat(by);
  return lines.map((l) => (l === "" ? l : pad + l));
}

/**
 * One block of `rows x (vectors * 4)` elements of `c` at row `$i`, column `$j`; `vectors` 0 is
 * one column, computed in lane 0 (loads splat one value, the store writes lane 0).
 */
function block(rows: number, vectors: number, kind: MaddKind): string[] {
  const nv = Math.max(1, vectors);
  const load = vectors === 0 ? "v128.load32_splat" : "v128.load";
  const store = (address: string, v: number, value: string) =>
    vectors === 0
      ? `(v128.store32_lane 0 ${address} ${value})`
      : `(v128.store ${plus(address, v)} ${value})`;
  const cols = vectors === 0 ? "1 column" : `${vectors * 4} columns`;
  const lines = [`;; ${rows} row${rows > 1 ? "s" : ""} x ${cols}: accumulators from 0`];
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < nv; v++) lines.push(`(local.set ${acc(r, v)} ${ZERO})`);
  }
  for (let r = 0; r < rows; r++) lines.push(`(local.set $qa${r} (local.get $pa${r}))`);
  lines.push(
    "(local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))",
    "(local.set $p (local.get $k))",
    ";; for p = k .. 1: one row of b, times a[row][p] broadcast, into every accumulator",
    "(loop $sum",
  );
  const body: string[] = [];
  for (let v = 0; v < nv; v++) {
    body.push(`(local.set $vb${v} (${load} ${plus("(local.get $pb)", v)}))`);
  }
  for (let r = 0; r < rows; r++) {
    body.push(`(local.set $va (v128.load32_splat (local.get $qa${r})))`);
    for (let v = 0; v < nv; v++) {
      body.push(`(local.set ${acc(r, v)} ${madd(kind, "$va", `$vb${v}`, acc(r, v))})`);
    }
    body.push(`(local.set $qa${r} (i32.add (local.get $qa${r}) (local.get $aColB)))`);
  }
  body.push(
    "(local.set $pb (i32.add (local.get $pb) (local.get $nb)))",
    "(br_if $sum (local.tee $p (i32.sub (local.get $p) (i32.const 1))))",
  );
  lines.push(...indent(body, 2), ")");
  lines.push(";; epilogue: + bias, relu, gate, then store");
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < nv; v++) {
      const biasAt = "(i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))";
      lines.push(
        `(local.set $x (local.get ${acc(r, v)}))`,
        `(if (local.get $bias) (then (local.set $x (f32x4.add (local.get $x) (${load} ${
          plus(biasAt, v)
        })))))`,
        `(if (local.get $relu) (then (local.set $x (f32x4.pmax (local.get $x) ${ZERO}))))`,
        `(if (local.get $gate) (then (local.set $x (v128.and (local.get $x) (f32x4.gt (${load} ${
          plus(at("$gRow", r), v)
        }) ${ZERO})))))`,
      );
      lines.push(store(at("$cRow", r), v, "(local.get $x)"));
    }
  }
  return lines;
}

/** `while ($x < $limit) { body; $x += step }`. */
function whileLess(
  x: string,
  limit: string,
  step: number,
  label: string,
  body: string[],
): string[] {
  return [
    `(block $${label}_done`,
    `  (loop $${label}`,
    `    (br_if $${label}_done (i32.ge_s (local.get ${x}) (local.get ${limit})))`,
    ...indent(body, 4),
    `    (local.set ${x} (i32.add (local.get ${x}) (i32.const ${step})))`,
    `    (br $${label})))`,
  ];
}

/** All columns of `rows` rows from row `$i`. */
function rowBlock(rows: number, kind: MaddKind): string[] {
  const lines = [`;; row pointers of rows $i .. $i+${rows - 1} into a, c and gate`];
  for (let r = 0; r < rows; r++) {
    const row = r === 0 ? "(local.get $i)" : `(i32.add (local.get $i) (i32.const ${r}))`;
    lines.push(`(local.set $pa${r} (i32.add (local.get $a) (i32.mul ${row} (local.get $aRowB))))`);
  }
  lines.push(
    "(local.set $cRow (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $nb))))",
    "(local.set $gRow (i32.add (local.get $gate) (i32.mul (local.get $i) (local.get $nb))))",
    "(local.set $j (i32.const 0))",
    ...whileLess("$j", "$n8", 8, `cols8_r${rows}`, block(rows, 2, kind)),
    ...whileLess("$j", "$n4", 4, `cols4_r${rows}`, block(rows, 1, kind)),
    ...whileLess("$j", "$n", 1, `cols1_r${rows}`, block(rows, 0, kind)),
  );
  return lines;
}

/** The whole `gemm` function. */
function gemmFunction(kind: MaddKind): string[] {
  const params = ["a", "b", "c", "m", "n", "k", "aRow", "aCol", "bias", "gate", "relu"];
  const i32Locals = [
    "i",
    "j",
    "p",
    "pb",
    "nb",
    "n8",
    "n4",
    "m4",
    "aRowB",
    "aColB",
    "cRow",
    "gRow",
    ...Array.from({ length: MR }, (_, r) => `pa${r}`),
    ...Array.from({ length: MR }, (_, r) => `qa${r}`),
  ];
  const v128Locals = [
    ...Array.from({ length: MR * NV }, (_, q) => acc(Math.floor(q / NV), q % NV).slice(1)),
    ...Array.from({ length: NV }, (_, v) => `vb${v}`),
    "va",
    "x",
  ];
  const body = [
    ";; k = 0: nothing to sum (callers never ask); guard against an endless countdown",
    "(if (i32.eqz (local.get $k)) (then (return)))",
    ";; byte strides, and the column and row counts the big blocks cover",
    "(local.set $nb (i32.shl (local.get $n) (i32.const 2)))",
    "(local.set $n8 (i32.and (local.get $n) (i32.const -8)))",
    "(local.set $n4 (i32.and (local.get $n) (i32.const -4)))",
    `(local.set $m4 (i32.and (local.get $m) (i32.const -${MR})))`,
    "(local.set $aRowB (i32.shl (local.get $aRow) (i32.const 2)))",
    "(local.set $aColB (i32.shl (local.get $aCol) (i32.const 2)))",
    "(local.set $i (i32.const 0))",
    ...whileLess("$i", "$m4", MR, "rows4", rowBlock(MR, kind)),
    ...whileLess("$i", "$m", 1, "rows1", rowBlock(1, kind)),
  ];
  return [
    '(func $gemm (export "gemm")',
    `  ${params.map((p) => `(param $${p} i32)`).join(" ")}`,
    ...chunk(i32Locals, 8).map((names) => `  ${names.map((l) => `(local $${l} i32)`).join(" ")}`),
    ...chunk(v128Locals, 6).map((names) => `  ${names.map((l) => `(local $${l} v128)`).join(" ")}`),
    ...indent(body, 2),
    ")",
  ];
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The text of the gemm module for one multiply-add kind. */
export function gemmWat(kind: MaddKind): string {
  const what = kind === "relaxed"
    ? "f32x4.relaxed_madd (fused where the CPU has FMA: bits may differ between CPUs)"
    : "f32x4.mul then f32x4.add (the same bits on every CPU)";
  return [
    ";; Generated by `deno task kernels` (tools/build_kernels.ts) from tools/kernels/gemm_template.ts.",
    ";; Do not edit by hand: change the template and regenerate.",
    ";;",
    ";; gemm(a, b, c, m, n, k, aRow, aCol, bias, gate, relu): c = epilogue(a · b), see the template.",
    `;; Multiply-add: ${what}.`,
    "(module",
    '  (import "env" "memory" (memory 1 65536 shared))',
    ...indent(gemmFunction(kind), 2),
    ")",
    "",
  ].join("\n");
}
