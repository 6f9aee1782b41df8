/**
 * Test helper: parses an SVG document with a strict XML parser (Python's expat, through
 * Debian's python3) and returns its elements with decoded attributes and text, so tests
 * check what a viewer sees and that the document is well-formed XML.
 *
 * @module
 */
import { python } from "../tools/jupyter.ts";

/** One element of a parsed document. */
export interface XmlElement {
  /** Local name, e.g. `circle`. */
  tag: string;
  /** Namespace URI, or "". */
  ns: string;
  /** Attributes, entities decoded (`xml:space` appears as `{http://...}space`). */
  attrs: Record<string, string>;
  /** All text inside the element, entities decoded. */
  text: string;
  /** Class names. */
  classes: string[];
}

const SCRIPT = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
out = []
for e in root.iter():
    ns, _, tag = e.tag[1:].partition("}") if e.tag.startswith("{") else ("", "", e.tag)
    out.append({"tag": tag, "ns": ns, "attrs": dict(e.attrib), "text": "".join(e.itertext())})
print(json.dumps(out))
`;

/**
 * Parses `xml` strictly; throws with the parser's message if it is not well-formed.
 * The first element is the root.
 */
export async function parseXml(xml: string): Promise<XmlElement[]> {
  const child = new Deno.Command(python(), {
    args: ["-c", SCRIPT],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(xml));
  await writer.close();
  const result = await child.output();
  if (!result.success) {
    throw new Error(`not well-formed XML: ${new TextDecoder().decode(result.stderr).trim()}`);
  }
  const elements = JSON.parse(new TextDecoder().decode(result.stdout)) as Omit<
    XmlElement,
    "classes"
  >[];
  return elements.map((e) => ({ ...e, classes: (e.attrs.class ?? "").split(/\s+/) }));
}

/** Elements with tag `tag` (or any tag for `"*"`) that have class `cls` (if given). */
export function select(elements: XmlElement[], tag: string, cls?: string): XmlElement[] {
  return elements.filter((e) =>
    (tag === "*" || e.tag === tag) && (cls === undefined || e.classes.includes(cls))
  );
}

/** Counts elements per value of attribute `attr`. */
export function countBy(elements: XmlElement[], attr: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of elements) counts[e.attrs[attr]] = (counts[e.attrs[attr]] ?? 0) + 1;
  return counts;
}
