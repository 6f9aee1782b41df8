/**
 * Save: a model written to a folder in tfjs's Layers format (`model.json` + content-named
 * `weights.<hash>.bin`) and read back, with the article's binary step activation restored.
 * Keras reads the folder after
 * `tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras`.
 *
 * @example
 * ```ts
 * import { deepNN } from "../build/mod.ts";
 * import { loadModel, saveModel } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir(); // not the working folder
 * await saveModel(deepNN({ features: 10, seed: 42 }), `${dir}/model`);
 * const model = await loadModel(`${dir}/model`);
 * assert.deepEqual(model.countParams(), 91);
 * ```
 *
 * @module
 */
export { loadModel, type LoadModelOptions, saveModel } from "./model_io.ts";
