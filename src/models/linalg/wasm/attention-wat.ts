/**
 * WebAssembly text of the Transformer's causal attention kernels (SIMD128 over the head dimension), one segment and
 * one head per call: q, k, v, out and their gradients are rows `row` bytes apart (tokens x width, float32) and each
 * pointer is the byte offset of the segment's first row at the head's first column; `p` is the head's len x len block
 * of attention weights (row i holds j ≤ i). `dh` (the head width) must be a multiple of 4. The softmax itself (exp)
 * stays in JavaScript between attnScores and attnContext. `assemble-kernels.ts` turns this text into the committed
 * binary `attention-binary.ts`.
 */

/** Shared loop pieces: `i` over rows, `j` over 0..i, `c` over the head's bytes in 16-byte steps. */
const loop = (name: string, limit: string, body: string, step = '1'): string => `
    (local.set $${name} (i32.const 0))
    (block $${name}Done (loop $${name}Loop
      (br_if $${name}Done ${limit})
      ${body}
      (local.set $${name} (i32.add (local.get $${name}) (i32.const ${step})))
      (br $${name}Loop)))`;

const iLoop = (body: string): string => loop('i', '(i32.ge_u (local.get $i) (local.get $len))', body);
const jLoop = (body: string): string => loop('j', '(i32.gt_u (local.get $j) (local.get $i))', body);
const cLoop = (body: string): string => loop('c', '(i32.ge_u (local.get $c) (local.get $dhb))', body, '16');
/** Address of row `r` (an i32 expression) from `base`. */
const rowAt = (base: string, r: string): string => `(i32.add (local.get ${base}) (i32.mul ${r} (local.get $row)))`;
const at = (ptr: string): string => '(i32.add (local.get ' + ptr + ') (local.get $c))';

const SCORES = `
  ;; p[i][j] = scale · q_i · k_j for j ≤ i
  (func (export "attnScores") (param $q i32) (param $k i32) (param $p i32) (param $len i32) (param $row i32) (param $dh i32) (param $scale f32)
    (local $i i32) (local $j i32) (local $c i32) (local $dhb i32) (local $qi i32) (local $kj i32) (local $pi i32) (local $acc v128)
    (local.set $dhb (i32.shl (local.get $dh) (i32.const 2)))
    ${iLoop(`
      (local.set $qi ${rowAt('$q', '(local.get $i)')})
      (local.set $pi (i32.add (local.get $p) (i32.shl (i32.mul (local.get $i) (local.get $len)) (i32.const 2))))
      ${jLoop(`
        (local.set $kj ${rowAt('$k', '(local.get $j)')})
        (local.set $acc (v128.const i64x2 0 0))
        ${cLoop(`(local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load ${at('$qi')}) (v128.load ${at('$kj')}))))`)}
        (f32.store (i32.add (local.get $pi) (i32.shl (local.get $j) (i32.const 2))) (f32.mul (local.get $scale) (call $hsum (local.get $acc))))`)}`)}
  )`;

const CONTEXT = `
  ;; out_i = Σ_{j ≤ i} p[i][j] v_j (overwrites out_i)
  (func (export "attnContext") (param $p i32) (param $v i32) (param $out i32) (param $len i32) (param $row i32) (param $dh i32)
    (local $i i32) (local $j i32) (local $c i32) (local $dhb i32) (local $oi i32) (local $vj i32) (local $pi i32) (local $w v128)
    (local.set $dhb (i32.shl (local.get $dh) (i32.const 2)))
    ${iLoop(`
      (local.set $oi ${rowAt('$out', '(local.get $i)')})
      (local.set $pi (i32.add (local.get $p) (i32.shl (i32.mul (local.get $i) (local.get $len)) (i32.const 2))))
      ${cLoop(`(v128.store ${at('$oi')} (v128.const i64x2 0 0))`)}
      ${jLoop(`
        (local.set $vj ${rowAt('$v', '(local.get $j)')})
        (local.set $w (f32x4.splat (f32.load (i32.add (local.get $pi) (i32.shl (local.get $j) (i32.const 2))))))
        ${cLoop(`(v128.store ${at('$oi')} (f32x4.add (v128.load ${at('$oi')}) (f32x4.mul (local.get $w) (v128.load ${at('$vj')}))))`)}`)}`)}
  )`;

const BACKWARD = `
  ;; From dOut: dp_ij = dOut_i · v_j, dv_j += p_ij dOut_i, ds_ij = p_ij (dp_ij − Σ_j' p_ij' dp_ij') scale,
  ;; dq_i += ds_ij k_j, dk_j += ds_ij q_i. $dp is scratch for one row's dp (len floats).
  (func (export "attnBackward")
    (param $q i32) (param $k i32) (param $v i32) (param $p i32) (param $dOut i32) (param $dq i32) (param $dk i32) (param $dv i32)
    (param $len i32) (param $row i32) (param $dh i32) (param $scale f32) (param $dp i32)
    (local $i i32) (local $j i32) (local $c i32) (local $dhb i32) (local $qi i32) (local $doi i32) (local $dqi i32) (local $pi i32)
    (local $kj i32) (local $vj i32) (local $dkj i32) (local $dvj i32) (local $acc v128) (local $w v128) (local $d v128)
    (local $pij f32) (local $dpj f32) (local $weighted f32) (local $ds f32)
    (local.set $dhb (i32.shl (local.get $dh) (i32.const 2)))
    ${iLoop(`
      (local.set $qi ${rowAt('$q', '(local.get $i)')})
      (local.set $doi ${rowAt('$dOut', '(local.get $i)')})
      (local.set $dqi ${rowAt('$dq', '(local.get $i)')})
      (local.set $pi (i32.add (local.get $p) (i32.shl (i32.mul (local.get $i) (local.get $len)) (i32.const 2))))
      (local.set $weighted (f32.const 0))
      ${jLoop(`
        (local.set $vj ${rowAt('$v', '(local.get $j)')})
        (local.set $dvj ${rowAt('$dv', '(local.get $j)')})
        (local.set $pij (f32.load (i32.add (local.get $pi) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $w (f32x4.splat (local.get $pij)))
        (local.set $acc (v128.const i64x2 0 0))
        ${cLoop(`
          (local.set $d (v128.load ${at('$doi')}))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $d) (v128.load ${at('$vj')}))))
          (v128.store ${at('$dvj')} (f32x4.add (v128.load ${at('$dvj')}) (f32x4.mul (local.get $w) (local.get $d))))`)}
        (local.set $dpj (call $hsum (local.get $acc)))
        (f32.store (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2))) (local.get $dpj))
        (local.set $weighted (f32.add (local.get $weighted) (f32.mul (local.get $pij) (local.get $dpj))))`)}
      ${jLoop(`
        (local.set $ds (f32.mul (f32.mul
          (f32.load (i32.add (local.get $pi) (i32.shl (local.get $j) (i32.const 2))))
          (f32.sub (f32.load (i32.add (local.get $dp) (i32.shl (local.get $j) (i32.const 2)))) (local.get $weighted)))
          (local.get $scale)))
        (if (f32.ne (local.get $ds) (f32.const 0)) (then
          (local.set $kj ${rowAt('$k', '(local.get $j)')})
          (local.set $dkj ${rowAt('$dk', '(local.get $j)')})
          (local.set $w (f32x4.splat (local.get $ds)))
          ${cLoop(`
            (v128.store ${at('$dqi')} (f32x4.add (v128.load ${at('$dqi')}) (f32x4.mul (local.get $w) (v128.load ${at('$kj')}))))
            (v128.store ${at('$dkj')} (f32x4.add (v128.load ${at('$dkj')}) (f32x4.mul (local.get $w) (v128.load ${at('$qi')}))))`)}))`)}`)}
  )`;

/**
 * The whole module: one imported (unshared) memory and the three kernels.
 *
 * @example wabt.parseWat('attention.wat', attentionWat(), { simd: true })
 */
export function attentionWat(): string {
  return `(module
  (import "env" "memory" (memory 1))
  (func $hsum (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))
${SCORES}
${CONTEXT}
${BACKWARD}
)
`;
}
