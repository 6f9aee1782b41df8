/** Path helpers for the bench scripts (node:path plus file URL conversion). */
import { fileURLToPath } from "node:url";
export { dirname, join } from "node:path";
/** A file URL as a path. */
export const fromFileUrl = (url: string): string => fileURLToPath(url);
