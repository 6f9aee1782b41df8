/**
 * Test helper: checks a document is well-formed XML with a strict parser (Python's expat via
 * Debian's /usr/bin/python3) and returns its root element's name and attributes.
 *
 * @module
 */
const SCRIPT = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
print(json.dumps({"tag": root.tag, "attrs": dict(root.attrib)}))
`;

/** Parses `xml` strictly; throws with expat's message when it is not well-formed. */
export async function strictXmlRoot(
  xml: string,
): Promise<{ tag: string; attrs: Record<string, string> }> {
  const child = new Deno.Command("/usr/bin/python3", {
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
    throw new Error(
      `not well-formed XML: ${new TextDecoder().decode(result.stderr).trim().split("\n").at(-1)}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(result.stdout));
}
