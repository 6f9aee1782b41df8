/**
 * The fused engine's losses and metrics on one batch, as tfjs-layers computes them in
 * float32, with the loss's gradient by the output.
 *
 * @module
 */
import {
  BCE,
  CCE,
  M_BCE,
  M_BINARY_ACCURACY,
  M_CATEGORICAL_ACCURACY,
  M_CCE,
  M_F1,
  M_MAE,
  M_MSE,
  M_PRECISION,
  M_R2,
  M_RECALL,
  M_SCCE,
  M_SPARSE_CATEGORICAL_ACCURACY,
  MAE,
  MSE,
  SCCE,
} from "./spec.ts";
import { EPSILON } from "../metrics.ts";
import { roundHalfEven } from "../../core/numeric.ts";

const fround = Math.fround;

// float64 and stores the float32 bound; the gradient mask compares with float32 bounds.
export const CLIP_LO = 1e-7, CLIP_HI = 1 - 1e-7;
export const CLIP_LO32 = fround(CLIP_LO), CLIP_HI32 = fround(CLIP_HI);

export function clipProbability(p: number): number {
  return p > CLIP_HI ? CLIP_HI32 : p < CLIP_LO ? CLIP_LO32 : p;
}

/**
 * The batch's mean loss, as tfjs-layers computes it in float32; with `grad`, also writes
 * dLoss/dOutput (`rows x outputs`) as tfjs's autodiff of the same expression.
 */
export function batchLoss(
  loss: number,
  p: Float32Array,
  t: Float32Array,
  rows: number,
  outputs: number,
  grad: Float32Array | null,
): number {
  let total = 0;
  // d(mean over rows)/d(row) = 1/rows; d(mean over outputs)/d(element) = 1/outputs.
  const perRow = fround(1 / rows);
  const perElement = fround(perRow / outputs);
  for (let r = 0; r < rows; r++) {
    const o = r * outputs;
    let rowLoss = 0;
    if (loss === BCE) {
      let s = 0;
      for (let j = 0; j < outputs; j++) {
        const pj = p[o + j], z = t[o + j];
        const y = clipProbability(pj);
        // sigmoidCrossEntropyWithLogits(z, log(y / (1 - y))), step by step in float32.
        const l = fround(Math.log(fround(y / fround(1 - y))));
        const ce = fround(
          fround((l > 0 ? l : 0) - fround(l * z)) +
            fround(Math.log1p(fround(Math.exp(-Math.abs(l))))),
        );
        s += ce;
        if (grad) {
          const inside = pj >= CLIP_LO32 && pj <= CLIP_HI32;
          grad[o + j] = inside ? perElement * (y - z) / (y * (1 - y)) : 0;
        }
      }
      rowLoss = fround(fround(s) / outputs);
    } else if (loss === SCCE) {
      // tfjs: clip p, then categorical cross-entropy against the one-hot label (which
      // renormalises the clipped row and clips again); t holds one label per row.
      const label = Math.floor(t[r]);
      let s = 0;
      for (let j = 0; j < outputs; j++) s += clipProbability(p[o + j]);
      const sum = fround(s);
      let gq = 0;
      let ce = 0;
      for (let j = 0; j < outputs; j++) {
        const p1 = clipProbability(p[o + j]);
        const q = fround(p1 / sum);
        if (j === label) {
          const y = clipProbability(q);
          ce = fround(Math.log(y));
          if (grad) {
            const g = q >= CLIP_LO32 && q <= CLIP_HI32 ? -perRow / y : 0;
            grad[o + j] = g;
            gq = g * q;
          }
        } else if (grad) grad[o + j] = 0;
      }
      rowLoss = -ce;
      if (grad) {
        for (let j = 0; j < outputs; j++) {
          const pj = p[o + j];
          const inside = pj >= CLIP_LO32 && pj <= CLIP_HI32;
          grad[o + j] = inside ? (grad[o + j] - gq) / sum : 0;
        }
      }
    } else if (loss === CCE) {
      let s = 0;
      for (let j = 0; j < outputs; j++) s += p[o + j];
      const sum = fround(s);
      let ce = 0;
      let gq = 0; // sum_j dL/dq_j * q_j, for the gradient of the renormalisation
      for (let j = 0; j < outputs; j++) {
        const q = fround(p[o + j] / sum);
        const y = clipProbability(q);
        ce += fround(t[o + j] * fround(Math.log(y)));
        if (grad) {
          const g = q >= CLIP_LO32 && q <= CLIP_HI32 ? -perRow * t[o + j] / y : 0;
          grad[o + j] = g;
          gq += g * q;
        }
      }
      rowLoss = -fround(ce);
      if (grad) {
        for (let j = 0; j < outputs; j++) grad[o + j] = (grad[o + j] - gq) / sum;
      }
    } else {
      let s = 0;
      for (let j = 0; j < outputs; j++) {
        const d = fround(p[o + j] - t[o + j]);
        if (loss === MSE) {
          s += fround(d * d);
          if (grad) grad[o + j] = perElement * 2 * d;
        } else {
          s += Math.abs(d);
          // tfjs's d|x|/dx is step(x, -1): 1 for x > 0, else -1 (NaN stays NaN).
          if (grad) grad[o + j] = d > 0 ? perElement : d !== d ? d : -perElement;
        }
      }
      rowLoss = fround(fround(s) / outputs);
    }
    total += rowLoss;
  }
  return fround(fround(total) / rows);
}

/** `K.round(K.clip(x, 0, 1))`. */
export function roundedUnit(x: number): number {
  return roundHalfEven(x < 0 ? 0 : x > 1 ? 1 : x);
}

/** One batch's value of a metric, as tfjs computes it (then `tf.mean` over the batch). */
export function batchMetric(
  code: number,
  p: Float32Array,
  t: Float32Array,
  rows: number,
  outputs: number,
): number {
  const n = rows * outputs;
  switch (code) {
    case M_BINARY_ACCURACY: {
      let total = 0;
      for (let r = 0; r < rows; r++) {
        let hits = 0;
        for (let j = 0; j < outputs; j++) {
          const e = r * outputs + j;
          if (t[e] === (p[e] > 0.5 ? 1 : 0)) hits++;
        }
        total += fround(hits / outputs);
      }
      return fround(fround(total) / rows);
    }
    case M_CATEGORICAL_ACCURACY: {
      let hits = 0;
      for (let r = 0; r < rows; r++) {
        const o = r * outputs;
        let bestP = 0, bestT = 0;
        for (let j = 1; j < outputs; j++) {
          if (p[o + j] > p[o + bestP]) bestP = j;
          if (t[o + j] > t[o + bestT]) bestT = j;
        }
        if (bestP === bestT) hits++;
      }
      return fround(hits / rows);
    }
    case M_PRECISION:
    case M_RECALL:
    case M_F1: {
      let tp = 0, predicted = 0, actual = 0;
      for (let e = 0; e < n; e++) {
        tp += roundedUnit(fround(t[e] * p[e]));
        predicted += roundedUnit(p[e]);
        actual += roundedUnit(t[e]);
      }
      const eps = fround(EPSILON);
      const pr = fround(tp / fround(predicted + eps));
      const re = fround(tp / fround(actual + eps));
      if (code === M_PRECISION) return pr;
      if (code === M_RECALL) return re;
      return fround(2 * fround(fround(pr * re) / fround(fround(pr + re) + eps)));
    }
    case M_R2: {
      let st = 0;
      for (let e = 0; e < n; e++) st += t[e];
      const mean = fround(fround(st) / n);
      let ssRes = 0, ssTot = 0;
      for (let e = 0; e < n; e++) {
        const d = fround(t[e] - p[e]);
        ssRes += fround(d * d);
        const c = fround(t[e] - mean);
        ssTot += fround(c * c);
      }
      return fround(1 - fround(fround(ssRes) / fround(fround(ssTot) + fround(EPSILON))));
    }
    case M_MSE:
      return batchLoss(MSE, p, t, rows, outputs, null);
    case M_MAE:
      return batchLoss(MAE, p, t, rows, outputs, null);
    case M_BCE:
      return batchLoss(BCE, p, t, rows, outputs, null);
    case M_SPARSE_CATEGORICAL_ACCURACY: {
      let hits = 0;
      for (let r = 0; r < rows; r++) {
        const o = r * outputs;
        let best = 0;
        for (let j = 1; j < outputs; j++) if (p[o + j] > p[o + best]) best = j;
        if (best === t[r]) hits++;
      }
      return fround(hits / rows);
    }
    case M_SCCE:
      return batchLoss(SCCE, p, t, rows, outputs, null);
    case M_CCE:
      return batchLoss(CCE, p, t, rows, outputs, null);
  }
  return NaN; // not reached: codes come from metricCode
}
