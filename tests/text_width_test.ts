import assert from "node:assert/strict";
import { fitText, shorten, textWidth } from "../lib/core/text_width.ts";

Deno.test("textWidth: DejaVu Sans advances, regular and bold, a full em for anything else", () => {
  assert.equal(textWidth("H1", 10), 13.88); // 752 + 636 per 1000 em
  assert.equal(textWidth(" ", 1000), 318);
  assert.equal(textWidth("~", 1000), 838); // the last ASCII entry: the tables are complete
  assert.equal(textWidth("~", 1000, true), 838);
  assert.equal(textWidth("W", 1000, true), 1103);
  assert.equal(textWidth("Σ→", 10), 20);
  assert.equal(textWidth("", 12), 0);
});

Deno.test("shorten keeps the start and end around an ellipsis; fitText shortens until it fits", () => {
  assert.equal(shorten("a_very_long_layer_name_indeed", 12), "a_very…ndeed");
  assert.equal(shorten("short", 12), "short");
  assert.equal(Array.from(shorten("😀".repeat(40), 9)).length, 9); // whole code points
  const fitted = fitText("layer_" + "x".repeat(200) + "_end", 11, 150);
  assert.ok(textWidth(fitted, 11) <= 150, fitted);
  assert.ok(fitted.startsWith("layer_") && fitted.endsWith("_end"));
  assert.equal(fitText("fits", 11, 150), "fits");
});
