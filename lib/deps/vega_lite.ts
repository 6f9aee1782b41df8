/**
 * Vega-Lite, pinned here and only here: the lib imports it through this module, so a script
 * that imports the lib by path or URL needs no import map. deno.json maps the bare name here too.
 *
 * @module
 */
export * from "npm:vega-lite@5.23.0";
