/**
 * readCSV and readJSON: equal to pandas cell by cell on hostile and real files
 * (tests/fixtures/pandas_tables.json, made by tests/fixtures/make_pandas_tables.py), exact on
 * each hostile case of issue 20, and bounded: a device, a FIFO, a huge file and an endless
 * download are refused with memory growth measured in a child process capped at 256 MB.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readCSV, readJSON } from "../lib/data/read.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import {
  cellText,
  executeNotebook,
  makeNotebook,
  problems,
  writeNotebook,
} from "../tools/jupyter.ts";

const ROOT = new URL("..", import.meta.url);
const READ_MODULE = new URL("../lib/data/read.ts", import.meta.url).href;

type PandasCell = null | number | string | { inf: 1 | -1 };
interface PandasFile {
  path: string;
  options: { na?: string[]; delimiter?: string };
  result:
    | { columns: string[]; cells: Record<string, PandasCell[]> }
    | { error: string; message: string };
}
const fixture: { pandas: string; files: PandasFile[] } = JSON.parse(
  await Deno.readTextFile(new URL("fixtures/pandas_tables.json", import.meta.url)),
);

function expected(cell: PandasCell): number | string | null {
  return cell !== null && typeof cell === "object" ? cell.inf * Infinity : cell;
}

const plainRows = (records: object[]) => records.map((r) => ({ ...r }));

async function rejectsArg(f: () => Promise<unknown>, pattern: RegExp): Promise<ArgumentError> {
  let caught: unknown;
  await assert.rejects(f, (e: unknown) => {
    caught = e;
    assert.ok(e instanceof ArgumentError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
  return caught as ArgumentError;
}

async function withFile<T>(
  content: string | Uint8Array,
  suffix: string,
  f: (path: string) => Promise<T>,
): Promise<T> {
  const path = await Deno.makeTempFile({ suffix });
  try {
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    return await f(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("readCSV equals pandas cell by cell on hostile and real files", async () => {
  assert.ok(fixture.files.length >= 20);
  let cells = 0;
  for (const file of fixture.files) {
    const url = new URL(file.path, ROOT);
    const result = file.result;
    if ("error" in result) {
      // pandas refuses it too; readCSV's error names the file (and the line where there is one).
      const e = await rejectsArg(() => readCSV(url, file.options), /readCSV: /);
      assert.ok(e.message.includes(url.href), e.message);
      continue;
    }
    const records = await readCSV(url, file.options);
    for (const r of records) assert.deepEqual(Object.keys(r), result.columns, file.path);
    for (const column of result.columns) {
      const want: PandasCell[] = result.cells[column];
      assert.equal(records.length, want.length, `${file.path}: rows`);
      want.forEach((cell, i) => {
        const got = records[i][column];
        // Object.is: -0 stays -0, and a number never equals its text.
        assert.ok(
          Object.is(got, expected(cell)),
          `${file.path}, column ${column}, row ${i}: readCSV ${
            JSON.stringify(got)
          } (${typeof got}), ` +
            `pandas ${JSON.stringify(cell)}`,
        );
        cells++;
      });
    }
  }
  assert.ok(cells > 30_000, `compared ${cells} cells`);
});

Deno.test("readCSV: each hostile case of issue 20 gives the exact value or an error naming the line", async () => {
  // A column named __proto__ or constructor keeps its values; records inherit nothing.
  await withFile("__proto__,constructor,x\n1,a,2\n", ".csv", async (path) => {
    const [r] = await readCSV(path);
    assert.deepEqual(Object.keys(r), ["__proto__", "constructor", "x"]);
    assert.deepEqual([r["__proto__"], r["constructor"], r.x], [1, "a", 2]);
    assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(r)), null);
    assert.equal(String(r), '{"__proto__":1,"constructor":"a","x":2}');
  });
  await withFile("x\n1\n", ".csv", async (path) => {
    const [r] = await readCSV(path);
    assert.equal(r["constructor"], undefined);
    assert.equal(r["toString"], undefined);
    assert.equal(Deno.inspect(r), "{ x: 1 }");
  });
  // Ragged rows: more or fewer cells than the header.
  await withFile(
    "a,b\n1,2\n3,4,5\n",
    ".csv",
    (path) =>
      rejectsArg(() => readCSV(path), /line 3: 3 cells, but the header \(line 1\) names 2 columns/),
  );
  await withFile(
    "a,b\n1,2\n\n3\n",
    ".csv",
    (path) =>
      rejectsArg(() => readCSV(path), /line 4: 1 cell, but the header \(line 1\) names 2 columns/),
  );
  // A file of one column (a ";" file read with commas): "1 column", not "1 columns".
  await withFile(
    "a;b;label\r\n1;2;x\r\n3;4,5;y\r\n",
    ".csv",
    (path) =>
      rejectsArg(
        () => readCSV(path),
        /line 3: 2 cells, but the header \(line 1\) names 1 column; quote cells that hold the delimiter$/,
      ),
  );
  // An unterminated quote names the line where it opens, even after quoted newlines.
  await withFile(
    'a,b\n"x\ny",1\n3,"oops\n4,5\n',
    ".csv",
    (path) => rejectsArg(() => readCSV(path), /line 4: a quoted cell is never closed/),
  );
  await withFile(
    'a,b\n1,"x"y\n',
    ".csv",
    (path) => rejectsArg(() => readCSV(path), /line 2: text "y" follows a closing quote/),
  );
  // Overflow and infinity words are Infinity, never missing, also when a record is printed.
  await withFile("v,w\n1e999,Infinity\n-1e999,-inf\n1,+INF\n", ".csv", async (path) => {
    const records = await readCSV(path);
    assert.deepEqual(records.map((r) => [r.v, r.w]), [
      [Infinity, Infinity],
      [-Infinity, -Infinity],
      [
        1,
        Infinity,
      ],
    ]);
    assert.deepEqual(records.map(String), [
      '{"v":Infinity,"w":Infinity}',
      '{"v":-Infinity,"w":-Infinity}',
      '{"v":1,"w":Infinity}',
    ]);
    assert.equal(Deno.inspect(records[1]), "{ v: -Infinity, w: -Infinity }");
  });
  // A code column stays text; the same texts alone are numbers (as pandas).
  await withFile("iata,n\n0E0,1\n0E8,2\nLAX,3\n", ".csv", async (path) => {
    assert.deepEqual((await readCSV(path)).map((r) => r.iata), ["0E0", "0E8", "LAX"]);
  });
  // Whole numbers past 2^53 would change as floats: the column stays text (exact).
  await withFile("id,n\n12345678901234567890,1\n2,9007199254740993\n", ".csv", async (path) => {
    assert.deepEqual(plainRows(await readCSV(path)), [
      { id: "12345678901234567890", n: "1" },
      { id: "2", n: "9007199254740993" },
    ]);
  });
  await withFile("n\n9007199254740991\n1e30\n", ".csv", async (path) => {
    assert.deepEqual((await readCSV(path)).map((r) => r.n), [9007199254740991, 1e30]);
  });
  // UTF-16 with its BOM, both byte orders, and UTF-8's BOM.
  const text = "name,v\nZoë,1\n";
  const units = [...text].map((c) => c.charCodeAt(0));
  const le = new Uint8Array([0xff, 0xfe, ...units.flatMap((u) => [u & 255, u >> 8])]);
  const be = new Uint8Array([0xfe, 0xff, ...units.flatMap((u) => [u >> 8, u & 255])]);
  for (const bytes of [le, be, new TextEncoder().encode(`\uFEFF${text}`)]) {
    await withFile(bytes, ".csv", async (path) => {
      assert.deepEqual((await readCSV(path)).map((r) => ({ ...r })), [{ name: "Zoë", v: 1 }]);
    });
  }
  await withFile(
    new Uint8Array([0x61, 0x0a, 0xe9, 0x0a]),
    ".csv",
    (path) => rejectsArg(() => readCSV(path), /is not valid UTF-8 text; save it as UTF-8/),
  );
  // Empty and header-only files say so, naming the file.
  await withFile(
    "",
    ".csv",
    (path) =>
      rejectsArg(() => readCSV(path), new RegExp(`"${path}" is empty: a table needs a header row`)),
  );
  await withFile("\n\n", ".csv", (path) => rejectsArg(() => readCSV(path), /is empty/));
  await withFile(
    "a,b\n",
    ".csv",
    (path) =>
      rejectsArg(
        () => readCSV(path),
        new RegExp(`"${path}" has a header \\(line 1\\) but no rows`),
      ),
  );
  // A repeated column name is refused (pandas would rename it "a.1").
  await withFile(
    "a,a\n1,2\n",
    ".csv",
    (path) => rejectsArg(() => readCSV(path), /line 1: the header names the column "a" twice/),
  );
});

Deno.test('readJSON: records inherit nothing; 1 and "1" stay distinct; empty and nested are errors', async () => {
  await withFile(
    '[{"__proto__": 1, "constructor": "c", "y": 1}, {"__proto__": 2, "y": "1"}, {"y": 1e999}]',
    ".json",
    async (path) => {
      const records = await readJSON(path);
      assert.deepEqual(records.map((r) => r["__proto__"]), [1, 2, undefined]);
      assert.deepEqual(records.map((r) => r["constructor"]), ["c", undefined, undefined]);
      assert.deepEqual(records.map((r) => r.y), [1, "1", Infinity]);
    },
  );
  await withFile(
    "[]",
    ".json",
    (path) => rejectsArg(() => readJSON(path), new RegExp(`"${path}" holds no records`)),
  );
  await withFile(
    '[{"a": {"b": 1}}]',
    ".json",
    (path) =>
      rejectsArg(() => readJSON(path), /item 0's "a" is an object; readJSON reads flat records/),
  );
  await withFile(
    '[{"a": 1}, 3]',
    ".json",
    (path) => rejectsArg(() => readJSON(path), /item 1 must be a record/),
  );
  const units = [...'[{"a": "é"}]'].map((c) => c.charCodeAt(0));
  await withFile(
    new Uint8Array([0xff, 0xfe, ...units.flatMap((u) => [u & 255, u >> 8])]),
    ".json",
    async (path) => assert.equal((await readJSON(path))[0].a, "é"),
  );
});

Deno.test("readCSV/readJSON: maxBytes is checked at the call and bounds a file", async () => {
  assert.throws(() => readCSV("x.csv", { maxBytes: 0 }), /readCSV: maxBytes must be a positive/);
  assert.throws(() => readJSON("x.json", { maxBytes: 1.5 }), /readJSON: maxBytes must be/);
  assert.throws(() => readJSON("x.json", { maxbytes: 1 } as never), /did you mean "maxBytes"/);
  await withFile("a,b\n1,2\n", ".csv", async (path) => {
    await rejectsArg(
      () => readCSV(path, { maxBytes: 4 }),
      /holds 8 bytes, more than the 4\.00 B \(maxBytes 4\) a table may take; pass a larger maxBytes/,
    );
    assert.equal((await readCSV(path, { maxBytes: 8 })).length, 1);
  });
});

/** Runs `code` in a child Deno capped at 256 MB of heap; returns its last printed JSON line. */
async function inCappedChild(code: string): Promise<Record<string, unknown>> {
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(script, code);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-lock", "--v8-flags=--max-old-space-size=256", script],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // A regression that hangs must fail the test, not the suite: kill the child after 60 s.
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const out = await child.output();
    clearTimeout(timer);
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(
      out.code,
      0,
      `child failed (${out.code}):\n${stdout}\n${new TextDecoder().decode(out.stderr)}`,
    );
    return JSON.parse(stdout.trim().split("\n").at(-1) as string);
  } finally {
    await Deno.remove(script);
  }
}

Deno.test("readCSV/readJSON: /dev/zero, a FIFO, a 4 GiB sparse file and endless downloads are refused in bounded memory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fifo = `${dir}/pipe.csv`;
    const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.equal(mk.code, 0);
    const sparse = `${dir}/huge.csv`;
    await Deno.writeTextFile(sparse, "a,b\n");
    await Deno.truncate(sparse, 4 * 2 ** 30); // 4 GiB, no blocks on disk
    const result = await inCappedChild(`
import { readCSV, readJSON } from ${JSON.stringify(READ_MODULE)};
const rss0 = Deno.memoryUsage().rss;
const errors: string[] = [];
const attempt = async (f: () => Promise<unknown>) => {
  try { await f(); errors.push("no error"); } catch (e) { errors.push(\`\${(e as Error).name}: \${(e as Error).message}\`); }
};
await attempt(() => readCSV("/dev/zero"));
await attempt(() => readJSON("/dev/zero"));
await attempt(() => readCSV(${JSON.stringify(fifo)}));
await attempt(() => readCSV(${JSON.stringify(sparse)}));
// A server that claims 10 GB (a raw socket: Deno.serve would send the true length), and one
// that streams without end (no Content-Length).
const claims = Deno.listen({ hostname: "127.0.0.1", port: 0 });
(async () => {
  for await (const conn of claims) {
    const buf = new Uint8Array(4096);
    await conn.read(buf);
    await conn.write(new TextEncoder().encode(
      "HTTP/1.1 200 OK\\r\\ncontent-length: 10000000000\\r\\n\\r\\na,b\\n1,2\\n",
    ));
    try { while ((await conn.read(buf)) !== null); } catch { /* closed by the reader */ }
    try { conn.close(); } catch { /* already closed */ }
  }
})();
let streamed = 0;
const chunk = new TextEncoder().encode("1,2\\n".repeat(16384));
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) { streamed += chunk.length; controller.enqueue(chunk); },
  });
  return new Response(body);
});
const base = \`http://127.0.0.1:\${server.addr.port}\`;
await attempt(() => readCSV(\`http://127.0.0.1:\${(claims.addr as Deno.NetAddr).port}/claims\`));
await attempt(() => readCSV(\`\${base}/endless\`, { maxBytes: 2 ** 20 }));
const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
await pause(); // the server notices the cancel a moment later
const streamedCSV = streamed;
await pause();
const stopped = streamed === streamedCSV; // the download was cancelled, not left running
await attempt(() => readJSON(\`\${base}/endless\`, { maxBytes: 2 ** 23 }));
const streamedJSON = streamed - streamedCSV;
await server.shutdown();
claims.close();
console.log(JSON.stringify({ errors, rssGrowth: Deno.memoryUsage().rss - rss0, streamedCSV, streamedJSON, stopped }));
`);
    const errors = result.errors as string[];
    assert.equal(errors.length, 7);
    assert.match(errors[0], /^ArgumentError: readCSV: "\/dev\/zero" is not a regular file/);
    assert.match(errors[1], /^ArgumentError: readJSON: "\/dev\/zero" is not a regular file/);
    assert.match(
      errors[2],
      /^ArgumentError: readCSV: ".*pipe\.csv" is not a regular file \(a device, FIFO or socket\)/,
    );
    assert.match(
      errors[3],
      /^ArgumentError: readCSV: ".*huge\.csv" holds 4294967296 bytes, more than the 256\.00 MB \(maxBytes 268435456\) a table may take; pass a larger maxBytes/,
    );
    assert.match(
      errors[4],
      /^ArgumentError: readCSV: ".*\/claims" holds 10000000000 bytes \(its Content-Length\), more than the 256\.00 MB/,
    );
    assert.match(
      errors[5],
      /^ArgumentError: readCSV: ".*\/endless" holds more than 1\d+ bytes, more than the 1\.00 MB \(maxBytes 1048576\)/,
    );
    assert.match(
      errors[6],
      /^ArgumentError: readJSON: ".*\/endless" holds more than 8\d+ bytes, more than the 8\.00 MB \(maxBytes 8388608\)/,
    );
    // The downloads were cancelled just past their limits (the server's sockets buffer a few
    // MB ahead of the reader), and memory stayed bounded.
    assert.equal(result.stopped, true);
    assert.ok((result.streamedCSV as number) < 2 ** 25, `CSV: ${result.streamedCSV} bytes sent`);
    assert.ok((result.streamedJSON as number) < 2 ** 26, `JSON: ${result.streamedJSON} bytes sent`);
    assert.ok((result.rssGrowth as number) < 100 * 2 ** 20, `rss grew ${result.rssGrowth} bytes`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kernel: records read from a file show as plain objects, and an empty file's error names it", async () => {
  const dir = await Deno.makeTempDir({
    dir: new URL("../tests", import.meta.url).pathname,
    prefix: ".nb-",
  });
  const path = join(dir, "records.ipynb");
  await Deno.writeTextFile(join(dir, "t.csv"), "__proto__,name\n1,Zoë\n2,Lee\n");
  await Deno.writeTextFile(join(dir, "header.csv"), "a,b\n");
  writeNotebook(
    path,
    makeNotebook([
      { code: `import { readCSV } from "../../lib/mod.ts";` },
      { code: `const records = await readCSV("t.csv");\nrecords;` },
      { code: `console.log(\`first: \${records[0]}\`);` },
      { code: `await readCSV("header.csv");` },
    ]),
  );
  try {
    const nb = await executeNotebook(path, { allowErrors: true });
    assert.equal(
      cellText(nb.cells[1]),
      `[\n  { ['__proto__']: 1, name: "Zoë" },\n  { ['__proto__']: 2, name: "Lee" }\n]\n`,
    );
    assert.equal(cellText(nb.cells[2]), 'first: {"__proto__":1,"name":"Zoë"}\n');
    const found = problems(nb);
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(
      found[0],
      /^cell 3: ArgumentError: readCSV: "header\.csv" has a header \(line 1\) but no rows/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
