/**
 * `deno task kernels`: writes the generated kernel text (lib/train/fused/kernels/gemm_*.wat,
 * from tools/kernels/gemm_template.ts), compiles every .wat with wabt and writes the bytes the
 * lib loads (lib/train/fused/kernels/bytes.ts). `--check` writes nothing and fails if a file
 * is not what this would write.
 *
 * @module
 */
import {
  BYTES_FILE,
  bytesModule,
  compileWat,
  KERNEL_SOURCES,
  KERNELS_DIR,
  privateVariant,
} from "./kernels/compile.ts";

const check = Deno.args.includes("--check");
const stale: string[] = [];

function write(url: URL, text: string): void {
  let old: string | null = null;
  try {
    old = Deno.readTextFileSync(url);
  } catch {
    // new file
  }
  if (old === text) return;
  if (check) stale.push(url.pathname);
  else {
    Deno.writeTextFileSync(url, text);
    console.log(`wrote ${url.pathname}`);
  }
}

const modules: { name: string; bytes: Uint8Array }[] = [];
for (const source of KERNEL_SOURCES) {
  const url = new URL(source.file, KERNELS_DIR);
  const text = source.generate ? source.generate() : Deno.readTextFileSync(url);
  if (source.generate) write(url, text);
  modules.push({ name: source.name, bytes: await compileWat(source.file, text) });
  modules.push({
    name: `${source.name}_private`,
    bytes: await compileWat(source.file, privateVariant(text)),
  });
}
write(BYTES_FILE, bytesModule(modules));
if (stale.length > 0) {
  console.error(`not current (run deno task kernels):\n${stale.join("\n")}`);
  Deno.exit(1);
}
