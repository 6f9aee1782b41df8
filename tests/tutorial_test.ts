import assert from "node:assert/strict";
import { finishPage, indexPage } from "../tools/tutorial.ts";

Deno.test("tutorial pages: a $ in a notebook's heading is text, never a replacement pattern", () => {
  const html = `<html><head><title>old</title></head><body class="x">\n<p>page</p></body></html>`;
  for (const title of ["Revenue in US$'000", "$& $1 $$ $` $'"]) {
    const page = finishPage(html, title);
    const escaped = title.replaceAll("&", "&amp;").replaceAll("'", "&#39;");
    assert.ok(page.includes(`<title>${escaped}</title>`), page);
    assert.ok(page.includes(`<body class="x">\n<nav class="dlnb-nav"`), page);
    assert.ok(page.includes("<p>page</p>"));
    assert.equal(page.match(/<title>/g)?.length, 1);
  }
  assert.ok(indexPage([{ name: "01-x", title: "US$'000" }]).includes("US$&#39;000"));
});
