import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cellText,
  executeNotebook,
  findCell,
  type NotebookCell,
  problems,
  ROOT,
  text,
} from "../tools/jupyter.ts";
import { assertOneLiveDisplay } from "./notebook_asserts.ts";

/** The SVG a cell displays (throws if it shows none). */
function svgOf(cell: NotebookCell): string {
  const output = (cell.outputs ?? []).find((o) => o.data?.["image/svg+xml"] !== undefined);
  assert.ok(output, "the cell shows an SVG figure");
  return text(output.data?.["image/svg+xml"]);
}

/** The features of a waterfall's text, in the order drawn (largest |value| first). */
function ranked(cell: NotebookCell): string[] {
  return [...cellText(cell).matchAll(/^ {2}(.+?) = [-\d.]+: /gm)].map((m) => m[1]);
}

const MEASUREMENTS = [
  "Beak Length (mm)",
  "Beak Depth (mm)",
  "Flipper Length (mm)",
  "Body Mass (g)",
];

Deno.test("notebook 07-real-data: penguins and cars from a real table to explained predictions", async () => {
  const nb = await executeNotebook(join(ROOT, "notebooks/07-real-data.ipynb"));
  assert.deepEqual(problems(nb), []);

  // Load and clean: 344 penguins, the missing-value error names the column and row, 11 dropped.
  assert.match(
    cellText(findCell(nb, "penguins.json")),
    /^344 penguins; columns: Species, Island, /,
  );
  assert.match(
    cellText(findCell(nb, "try {")),
    /^fromRecords: records\[3\] has no value for "Beak Length \(mm\)" \(null\)/,
  );
  const cleaning = cellText(findCell(nb, 'missing: "drop"'));
  assert.match(cleaning, /^dropped 11 incomplete rows, 333 penguins left$/m);
  assert.match(cleaning, /Island=Biscoe, Island=Dream, Island=Torgersen, Beak Length \(mm\)/);
  assert.match(cleaning, /classes: 0 = Adelie, 1 = Chinstrap, 2 = Gentoo/);

  // A stratified split: every species has about the same share in both parts.
  const split = cellText(findCell(nb, "trainTestSplit(penguins"));
  assert.match(split, /^train: 266 rows \(Adelie 44%, Chinstrap 20%, Gentoo 36%\)$/m);
  assert.match(split, /^test: {2}67 rows \(Adelie 43%, Chinstrap 21%, Gentoo 36%\)$/m);

  // Training shows one live display, on the fused engine.
  const progress = assertOneLiveDisplay(findCell(nb, "await train(model"), 100);
  assert.match(progress, /engine: fused/);

  // Test accuracy well above always answering the most common species.
  const report = cellText(findCell(nb, "evaluate(model, xTest"));
  assert.match(report, /^Evaluation: 3 classes, 67 rows/);
  const accuracy = Number(report.match(/^ +accuracy +([\d.]+) +67$/m)?.[1]);
  const baseline = cellText(findCell(nb, "const majority"));
  const majority = Number(baseline.match(/always "Adelie": accuracy ([\d.]+)/)?.[1]);
  assert.ok(majority > 0.4 && majority < 0.45, baseline);
  assert.ok(accuracy >= 0.9 && accuracy >= majority + 0.4, `accuracy ${accuracy} vs ${majority}`);
  assert.match(report, /true \\ predicted {2}Adelie {2}Chinstrap {2}Gentoo/);
  const html = text(
    findCell(nb, "evaluate(model, xTest").outputs?.find((o) => o.data?.["text/html"])?.data
      ?.["text/html"],
  );
  assert.match(html, /<caption>Confusion matrix/);

  // One test penguin of each species, each predicted as its own species.
  const summaries = cellText(findCell(nb, "const explanations"));
  for (const name of ["Adelie", "Chinstrap", "Gentoo"]) {
    assert.match(
      summaries,
      new RegExp(`^a ${name} \\(test row \\d+\\): predicted ${name}, P = (0\\.\\d+|1\\.000)$`, "m"),
    );
  }

  // The explained species: each plot says which class, and the top features are measurements.
  for (
    const [marker, name] of [["[2]); // the Gentoo", "Gentoo"], ["[0]); // the Adelie", "Adelie"]]
  ) {
    const cell = findCell(nb, marker);
    assert.match(
      cellText(cell),
      new RegExp(`^Waterfall plot \\(model output, explaining P\\(${name}\\)\\)`),
    );
    assert.ok(svgOf(cell).includes(`explaining P(${name})`), "the axis names the class");
    const top = ranked(cell);
    assert.equal(top.length, 9);
    assert.ok(MEASUREMENTS.includes(top[0]), `${name}: ${top.join(", ")}`);
    assert.ok(top.slice(0, 3).filter((f) => MEASUREMENTS.includes(f)).length >= 2, top.join(", "));
  }
  // The Gentoo: its shallow beak and long flippers come first, as a biologist would expect.
  assert.deepEqual(
    ranked(findCell(nb, "[2]); // the Gentoo")).slice(0, 2).sort(),
    ["Beak Depth (mm)", "Flipper Length (mm)"],
  );
  // The Adelie: its short beak.
  assert.equal(ranked(findCell(nb, "[0]); // the Adelie"))[0], "Beak Length (mm)");
  // The Chinstrap: the island shortcut the text points out first, and the beak in the top four.
  const chinstrap = ranked(findCell(nb, "[1]); // the Chinstrap"));
  assert.ok(chinstrap[0].startsWith("Island="), chinstrap.join(", "));
  assert.ok(chinstrap.slice(0, 4).includes("Beak Length (mm)"), chinstrap.join(", "));

  // New penguins predicted from plain records by the reloaded model, the same as before saving:
  // the heavy Biscoe penguin with a long flipper is a Gentoo, the small Torgersen one an Adelie.
  const predicted = cellText(findCell(nb, "predict(reloaded, newPenguins)"));
  assert.match(predicted, /^same probabilities after save and load: true$/m);
  const classes = [...predicted.matchAll(/^ *\d+ +(Adelie|Chinstrap|Gentoo) /gm)].map((m) => m[1]);
  assert.deepEqual(classes, ["Gentoo", "Adelie"], predicted);

  // Cars: a regression on 392 complete cars, R2 on the test rows, weight first for the car.
  assert.match(cellText(findCell(nb, "cars.json")), /^regression: 392 cars \(14 dropped/);
  const carReport = cellText(findCell(nb, "evaluate(regressor"));
  const r2 = Number(carReport.match(/^R2 +([\d.]+)$/m)?.[1]);
  assert.ok(r2 > 0.75, carReport);
  const car = findCell(nb, "waterfallPlot(car)");
  assert.match(cellText(car), /^amc hornet: predicted [\d.]+ mpg, measured 22.5 mpg/);
  assert.equal(ranked(car)[0], "Weight_in_lbs");
});
