/**
 * Bounded reading for the table readers: a local path, a `file:` URL or an `http(s):` URL is
 * read as bytes, counted against a size limit before and while it is read (a file is
 * stat-ed first and must be a regular file; a URL's `Content-Length` is checked, then its
 * body is counted as it streams and cancelled past the limit), and decoded honouring a
 * UTF-8 or UTF-16 byte-order mark. A device such as `/dev/zero`, a FIFO or an endless
 * download is refused at once instead of filling the memory.
 *
 * @module
 */
import { ArgumentError } from "../core/errors.ts";
import { readableSize } from "../core/numeric.ts";

/**
 * Most bytes a table file or download may hold unless the caller raises `maxBytes`:
 * 256 MiB. Parsed into records a table takes several times its file size.
 *
 * @example
 * ```ts
 * import { MAX_TABLE_BYTES } from "./source.ts";
 * MAX_TABLE_BYTES; // 268435456
 * ```
 */
export const MAX_TABLE_BYTES = 2 ** 28;

// V8 cannot make a string longer than this (2^29 - 24 UTF-16 code units).
const MAX_STRING_LENGTH = 2 ** 29 - 24;

/**
 * A file name or URL for an error message, quoted: long ones keep their end (the file's own
 * name), unlike `describe`, which keeps the start.
 *
 * @example
 * ```ts
 * import { describePath } from "./source.ts";
 * describePath("/data/penguins.csv"); // '"/data/penguins.csv"'
 * ```
 */
export function describePath(name: string): string {
  return JSON.stringify(name.length > 120 ? `...${name.slice(-117)}` : name);
}

/**
 * Refuses what is neither a path nor a URL, at the call.
 *
 * @example
 * ```ts
 * import { checkSource } from "./source.ts";
 * checkSource("readCSV", "table.csv"); // fine
 * ```
 */
export function checkSource(fn: string, pathOrUrl: unknown): void {
  if (pathOrUrl instanceof URL || (typeof pathOrUrl === "string" && pathOrUrl !== "")) return;
  throw new ArgumentError(fn, "pathOrUrl", pathOrUrl, "a file path or a URL");
}

/**
 * Checks a `maxBytes` option: a positive safe integer, {@linkcode MAX_TABLE_BYTES} when not
 * given.
 *
 * @example
 * ```ts
 * import { checkMaxBytes } from "./source.ts";
 * checkMaxBytes("readCSV", undefined); // 268435456
 * ```
 */
export function checkMaxBytes(fn: string, value: unknown): number {
  if (value === undefined) return MAX_TABLE_BYTES;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new ArgumentError(fn, "maxBytes", value, "a positive whole number of bytes");
  }
  return value;
}

function tooLarge(fn: string, name: string, bytes: string, maxBytes: number): ArgumentError {
  return ArgumentError.because(
    fn,
    "pathOrUrl",
    `${describePath(name)} holds ${bytes}, more than the ${
      readableSize(maxBytes)
    } (maxBytes ${maxBytes}) a table may take; pass a larger maxBytes if you mean to read it`,
  );
}

/** The URL of `pathOrUrl` when it is one (a `file:` URL stays a URL), else `null`. */
function urlOf(pathOrUrl: string | URL): URL | null {
  if (pathOrUrl instanceof URL) return pathOrUrl;
  return /^(https?|file):\/\//i.test(pathOrUrl) ? new URL(pathOrUrl) : null;
}

/** Reads a stream to its end, cancelling it once it passes `maxBytes`. */
async function readCounted(
  fn: string,
  name: string,
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        throw tooLarge(fn, name, `more than ${total} bytes`, maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads a path, a `file:` URL or an `http(s):` URL as bytes, never more than `maxBytes`:
 * a file must be a regular file no larger than the limit (checked before it is opened), a
 * download's declared and actual length are both checked.
 *
 * @example
 * ```ts
 * import { readBounded } from "./source.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a,b\n1,2\n");
 * (await readBounded("readCSV", path, 1024)).length; // 8
 * ```
 */
export async function readBounded(
  fn: string,
  pathOrUrl: string | URL,
  maxBytes: number,
): Promise<Uint8Array> {
  const url = urlOf(pathOrUrl);
  if (url && url.protocol !== "file:") {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ArgumentError(
        fn,
        "pathOrUrl",
        url.href,
        "a file path, a file: URL or an http(s): URL",
      );
    }
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw ArgumentError.because(
        fn,
        "pathOrUrl",
        `could not read ${describePath(url.href)}: ${(error as Error).message}`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw ArgumentError.because(
        fn,
        "pathOrUrl",
        `could not read ${describePath(url.href)}: HTTP ${response.status} ${response.statusText}`,
      );
    }
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw tooLarge(fn, url.href, `${declared} bytes (its Content-Length)`, maxBytes);
    }
    if (!response.body) return new Uint8Array(0);
    return await readCounted(fn, url.href, response.body, maxBytes);
  }
  const path = url ?? (pathOrUrl as string);
  const name = String(path);
  let file: Deno.FsFile | undefined;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) {
      const kind = info.isDirectory ? "a folder" : "not a regular file (a device, FIFO or socket)";
      throw ArgumentError.because(fn, "pathOrUrl", `${describePath(name)} is ${kind}; give a file`);
    }
    if (info.size > maxBytes) throw tooLarge(fn, name, `${info.size} bytes`, maxBytes);
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof ArgumentError) throw error;
    const why = error instanceof Deno.errors.NotFound ? "no such file" : String(error);
    throw ArgumentError.because(fn, "pathOrUrl", `could not read ${describePath(name)}: ${why}`);
  }
  // Counted again while reading: the file may grow after the stat.
  return await readCounted(fn, name, file.readable, maxBytes);
}

/**
 * Bytes as text: a UTF-8 byte-order mark is dropped, a UTF-16 (LE or BE) one decides the
 * encoding, otherwise the bytes must be valid UTF-8 (as pandas' default), or it is an error.
 *
 * @example
 * ```ts
 * import { decodeText } from "./source.ts";
 * decodeText("readCSV", "t.csv", new Uint8Array([0xff, 0xfe, 0x61, 0x00])); // "a"
 * ```
 */
export function decodeText(fn: string, name: string, bytes: Uint8Array): string {
  let encoding = "utf-8";
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, start] = ["utf-16le", 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [encoding, start] = ["utf-16be", 2];
  const body = bytes.subarray(start);
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch (error) {
    throw ArgumentError.because(
      fn,
      "pathOrUrl",
      error instanceof RangeError
        ? `${describePath(name)} holds ${body.length} bytes of text, more than one JavaScript ` +
          `string can hold (${MAX_STRING_LENGTH} characters); split the file`
        : `${describePath(name)} is not valid ${encoding.toUpperCase()} text; save it as UTF-8 ` +
          "(or UTF-16 with a byte-order mark)",
    );
  }
}
