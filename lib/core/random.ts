/**
 * A small seeded random number generator, so random data, shuffling, dropout and sampling
 * give the same numbers for the same seed.
 *
 * @module
 */
import { withText } from "./text.ts";
import { checkSeed } from "./errors.ts";

/** A seeded source of random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T;
}

/** mulberry32's output for the advanced state `s`, in [0, 1). */
function draw(s: number): number {
  let t = Math.imul(s ^ (s >>> 15), s | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * Creates a generator (mulberry32) from a 32-bit seed, an integer from 0 to 2^32 - 1 (anything
 * else is an {@linkcode ArgumentError}: `NaN`, `"x"` or `{}` would all give one same stream);
 * without a seed, one is drawn from `crypto.getRandomValues`.
 *
 * @example
 * ```ts
 * import { rng } from "./random.ts";
 * const a = rng(42), b = rng(42);
 * a.next() === b.next(); // true
 * ```
 */
export function rng(seed?: number): Rng {
  let state = checkSeed("rng", seed) ?? crypto.getRandomValues(new Uint32Array(1))[0];
  const first = state;
  let spare: number | undefined;
  const next = () => draw(state = (state + 0x6D2B79F5) >>> 0);
  const generator: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    shuffle(array) {
      // The step inlined: each generator has its own `next` closure, and a call to a new
      // closure deoptimises code compiled for the previous one (a new shuffle every epoch).
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor(draw(state = (state + 0x6D2B79F5) >>> 0) * (i + 1));
        const t = array[i];
        array[i] = array[j];
        array[j] = t;
      }
      return array;
    },
  };
  return withText(
    generator,
    () =>
      `Rng: seeded random numbers (mulberry32), seed ${first}${
        seed === undefined ? " (drawn)" : ""
      }`,
  );
}
