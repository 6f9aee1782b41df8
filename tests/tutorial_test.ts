import assert from "node:assert/strict";
import { CONTENTS, finishPage, indexPage } from "../tools/tutorial.ts";

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

Deno.test("tutorial index: every notebook is linked once, and a section covering it again names it", () => {
  const names = [...new Set(CONTENTS.flatMap((c) => c.notebooks))];
  assert.ok(names.length >= 7, names.join());
  const pages = names.map((name) => ({ name, title: `Title of ${name}` }));
  const html = indexPage([...pages, { name: "99-extra", title: "Extra" }]);
  for (const { name } of [...pages, { name: "99-extra" }]) {
    assert.equal(html.split(`href="${name}.html"`).length - 1, 1, `${name} is linked once`);
  }
  // "Model Design" covers notebooks 01 and 02 again: named, not linked.
  const design = /<h2>Model Design<\/h2>[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
  assert.match(
    design,
    /In the notebooks above: <em>Title of 01-perceptron<\/em>, <em>Title of 02-/,
  );
  assert.doesNotMatch(design, /href=/);
  assert.match(html, /<h2>More notebooks<\/h2><ul><li><a href="99-extra\.html">Extra<\/a>/);
});
