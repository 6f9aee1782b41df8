/**
 * Data: the article's random data set (`np.random.rand(1000, 10)` features with random 0/1
 * labels, or random targets for regression), the same for the same seed.
 *
 * @example
 * ```ts
 * import { randomData } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = randomData({ rows: 1000, features: 10, task: "classification", seed: 42 });
 * assert.deepEqual([x.length, x[0].length, y.length], [1000, 10, 1000]);
 * ```
 *
 * @module
 */
export { type RandomData, randomData, type RandomDataOptions } from "./random_data.ts";
export {
  type DataRecord,
  packageFile,
  readCSV,
  type ReadCSVOptions,
  readJSON,
  type ReadJSONOptions,
  type Value,
} from "./read.ts";
export {
  fromRecords,
  type FromRecordsOptions,
  type MissingPolicy,
  type TableData,
} from "./records.ts";
export {
  type Rows,
  type Split,
  type SplitInput,
  type SplitOptions,
  type SplitPart,
  trainTestSplit,
} from "./split.ts";
export { type Scaler, scalerFrom, type ScalerParams, standardize } from "./scale.ts";
export { type ColumnEncoding, type Preprocessing, type TableEncoding } from "./preprocessing.ts";
