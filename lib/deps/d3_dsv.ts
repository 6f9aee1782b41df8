/**
 * d3-dsv (CSV and TSV parsing), pinned here and only here, with its types: the lib imports it
 * through this module, so a script that imports the lib by path or URL needs no import map.
 *
 * @module
 */
// @ts-types="npm:@types/d3-dsv@3.0.7"
export * from "npm:d3-dsv@3.0.2";
