;; The fused engine's elementwise steps, in WebAssembly SIMD: the Adam and SGD updates and
;; dropout forward and backward. Hand-written (nothing to unroll); compiled with the gemm
;; kernels by `deno task kernels` (tools/build_kernels.ts) into kernels/bytes.ts.
;;
;; Every operation is one float32 operation in the order written, as tfjs's tensor ops do,
;; so the results are those of tfjs's formulas rounded to float32 after each step, on every
;; CPU (no fused multiply-add here). Lengths `n` are in floats and a multiple of 4: the
;; arena pads every buffer to whole vectors with zeros, and zeros stay zeros.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; The sum of the four lanes of `check`: 0 while every new weight is finite, else NaN.
  (func $lanes (param $check v128) (result f32)
    (f32.add
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $check)) (f32x4.extract_lane 1 (local.get $check)))
        (f32x4.extract_lane 2 (local.get $check)))
      (f32x4.extract_lane 3 (local.get $check))))

  ;; adam(w, g, m, v, n, beta1, 1-beta1, beta2, 1-beta2, 1-accBeta1, 1-accBeta2, epsilon, -lr):
  ;;   m = m * beta1 + g * (1 - beta1)
  ;;   v = v * beta2 + (g * g) * (1 - beta2)
  ;;   w = ((m / (1 - accBeta1)) / (sqrt(v / (1 - accBeta2)) + epsilon)) * -lr + w
  ;; Returns 0, or NaN if a new weight is not finite.
  (func $adam (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $oneMinusAccBeta1 f32) (param $oneMinusAccBeta2 f32) (param $epsilon f32)
    (param $negLearningRate f32)
    (result f32)
    (local $p i32) (local $check v128) (local $gv v128) (local $mNew v128) (local $vNew v128)
    (local $wNew v128)
    (local $b1 v128) (local $ob1 v128) (local $b2 v128) (local $ob2 v128) (local $oa1 v128)
    (local $oa2 v128) (local $eps v128) (local $nlr v128)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $ob1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $ob2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $oa1 (f32x4.splat (local.get $oneMinusAccBeta1)))
    (local.set $oa2 (f32x4.splat (local.get $oneMinusAccBeta2)))
    (local.set $eps (f32x4.splat (local.get $epsilon)))
    (local.set $nlr (f32x4.splat (local.get $negLearningRate)))
    (local.set $check (v128.const i32x4 0 0 0 0))
    (local.set $n (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $p) (local.get $n)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $p))))
        (local.set $mNew
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $p))) (local.get $b1))
            (f32x4.mul (local.get $gv) (local.get $ob1))))
        (v128.store (i32.add (local.get $m) (local.get $p)) (local.get $mNew))
        (local.set $vNew
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $p))) (local.get $b2))
            (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $ob2))))
        (v128.store (i32.add (local.get $v) (local.get $p)) (local.get $vNew))
        (local.set $wNew
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $mNew) (local.get $oa1))
                (f32x4.add
                  (f32x4.sqrt (f32x4.div (local.get $vNew) (local.get $oa2)))
                  (local.get $eps)))
              (local.get $nlr))
            (v128.load (i32.add (local.get $w) (local.get $p)))))
        (v128.store (i32.add (local.get $w) (local.get $p)) (local.get $wNew))
        (local.set $check
          (f32x4.add (local.get $check) (f32x4.sub (local.get $wNew) (local.get $wNew))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $each)))
    (call $lanes (local.get $check)))

  ;; sgd(w, g, n, -lr): w = (-lr * g) + w. Returns 0, or NaN if a new weight is not finite.
  (func $sgd (export "sgd")
    (param $w i32) (param $g i32) (param $n i32) (param $negLearningRate f32) (result f32)
    (local $p i32) (local $check v128) (local $nlr v128) (local $wNew v128)
    (local.set $nlr (f32x4.splat (local.get $negLearningRate)))
    (local.set $check (v128.const i32x4 0 0 0 0))
    (local.set $n (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $p) (local.get $n)))
        (local.set $wNew
          (f32x4.add
            (f32x4.mul (local.get $nlr) (v128.load (i32.add (local.get $g) (local.get $p))))
            (v128.load (i32.add (local.get $w) (local.get $p)))))
        (v128.store (i32.add (local.get $w) (local.get $p)) (local.get $wNew))
        (local.set $check
          (f32x4.add (local.get $check) (f32x4.sub (local.get $wNew) (local.get $wNew))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $each)))
    (call $lanes (local.get $check)))

  ;; The lib's generator (mulberry32, lib/core/random.ts) on 4 lanes: the u32 draw of each
  ;; lane's state `t`.
  (func $mulberry32 (param $t v128) (result v128)
    (local $u v128)
    ;; u = imul(t ^ (t >>> 15), t | 1)
    (local.set $u
      (i32x4.mul
        (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 15)))
        (v128.or (local.get $t) (v128.const i32x4 1 1 1 1))))
    ;; u ^= u + imul(u ^ (u >>> 7), u | 61)
    (local.set $u
      (v128.xor
        (local.get $u)
        (i32x4.add
          (local.get $u)
          (i32x4.mul
            (v128.xor (local.get $u) (i32x4.shr_u (local.get $u) (i32.const 7)))
            (v128.or (local.get $u) (v128.const i32x4 61 61 61 61))))))
    ;; u ^ (u >>> 14)
    (v128.xor (local.get $u) (i32x4.shr_u (local.get $u) (i32.const 14))))

  ;; dropout(input, out, mask, n, state, threshold, scale): for e < n, draw e is mulberry32 at
  ;; state + (e + 1) * 0x6D2B79F5 (the generator's step: its state only counts up, so 4 lanes
  ;; draw 4 consecutive values); mask[e] = draw >= threshold (unsigned) ? scale : 0;
  ;; out[e] = input[e] * mask[e].
  (func $dropout (export "dropout")
    (param $input i32) (param $out i32) (param $mask i32) (param $n i32) (param $state i32)
    (param $threshold i32) (param $scale f32)
    (local $p i32) (local $states v128) (local $keep v128) (local $thresholds v128)
    (local $scales v128)
    ;; lanes at state + 1, 2, 3, 4 steps (0x6D2B79F5 times 1, 2, 3, 4, wrapping)
    (local.set $states
      (i32x4.add
        (i32x4.splat (local.get $state))
        (v128.const i32x4 0x6D2B79F5 0xDA56F3EA 0x47826DDF 0xB4ADE7D4)))
    (local.set $thresholds (i32x4.splat (local.get $threshold)))
    (local.set $scales (f32x4.splat (local.get $scale)))
    (local.set $n (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $p) (local.get $n)))
        (local.set $keep
          (v128.and
            (i32x4.ge_u (call $mulberry32 (local.get $states)) (local.get $thresholds))
            (local.get $scales)))
        (v128.store (i32.add (local.get $mask) (local.get $p)) (local.get $keep))
        (v128.store
          (i32.add (local.get $out) (local.get $p))
          (f32x4.mul (v128.load (i32.add (local.get $input) (local.get $p))) (local.get $keep)))
        ;; 4 steps on: 4 * 0x6D2B79F5, wrapping
        (local.set $states
          (i32x4.add (local.get $states) (v128.const i32x4 0xB4ADE7D4 0xB4ADE7D4 0xB4ADE7D4 0xB4ADE7D4)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $each))))

  ;; dropback(delta, mask, y, into, n): into = delta * mask, and 0 where y > 0 is false when
  ;; `y` is not 0 (relu's derivative of the Dense layer below).
  (func $dropback (export "dropback")
    (param $delta i32) (param $mask i32) (param $y i32) (param $into i32) (param $n i32)
    (local $p i32) (local $product v128)
    (local.set $n (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $p) (local.get $n)))
        (local.set $product
          (f32x4.mul
            (v128.load (i32.add (local.get $delta) (local.get $p)))
            (v128.load (i32.add (local.get $mask) (local.get $p)))))
        (if (local.get $y)
          (then
            (local.set $product
              (v128.and
                (local.get $product)
                (f32x4.gt
                  (v128.load (i32.add (local.get $y) (local.get $p)))
                  (v128.const i32x4 0 0 0 0))))))
        (v128.store (i32.add (local.get $into) (local.get $p)) (local.get $product))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $each))))
)
