/**
 * WebAssembly text of the Transformer's kernels: a matrix product over row-major A (gemmRowsAccF32), and causal
 * attention (SIMD128 over the head dimension), one segment and one head per call: q, k, v, out and their gradients are rows `row` bytes apart (tokens x width, float32) and each
 * pointer is the byte offset of the segment's first row at the head's first column; `p` is the head's len x len block
 * of attention weights (row i holds j ≤ i). `dh` (the head width) must be a multiple of 4. The softmax itself (exp)
 * stays in JavaScript between attnScores and attnContext. `assemble-kernels.ts` turns this text into the committed
 * binary `transformer-binary.ts`.
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
 * C[m x n] (row-major, ldc floats) += A[m x kk] (row-major, lda floats) · Bp, Bp packed as [n/8][kk][8]; m % 4 == 0,
 * n % 8 == 0. The gemmAccF32 micro-kernel of kernels-wat.ts (4 x 8 block, 8 vector accumulators) reading A's four
 * rows in place, so the caller copies A with one memcpy instead of packing it.
 */
function gemmRows(): string {
  const accs: string[] = [];
  for (let r = 0; r < 4; r++) for (let v = 0; v < 2; v++) accs.push(`$c${r}_${v}`);
  const lines: string[] = [];
  lines.push('  (func (export "gemmRowsAccF32")');
  lines.push('    (param $c i32) (param $ldc i32) (param $a i32) (param $lda i32) (param $bp i32) (param $m i32) (param $n i32) (param $kk i32)');
  lines.push('    (local $i i32) (local $j i32) (local $t i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $cRow i32) (local $aRow i32)');
  lines.push('    (local $a0 v128) (local $b0 v128) (local $b1 v128) ' + accs.map((a) => `(local ${a} v128)`).join(' '));
  lines.push('    (local.set $cRow (i32.shl (local.get $ldc) (i32.const 2)))');
  lines.push('    (local.set $aRow (i32.shl (local.get $lda) (i32.const 2)))');
  lines.push('    (block $iDone (loop $iLoop');
  lines.push('      (br_if $iDone (i32.ge_u (local.get $i) (local.get $m)))');
  lines.push('      (local.set $j (i32.const 0))');
  lines.push('      (block $jDone (loop $jLoop');
  lines.push('        (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))');
  for (const a of accs) lines.push(`        (local.set ${a} (v128.const i64x2 0 0))`);
  lines.push('        (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))');
  lines.push('        (local.set $pb (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $j) (local.get $kk)) (i32.const 2))))');
  lines.push('        (local.set $t (local.get $kk))');
  lines.push('        (block $tDone (loop $tLoop');
  lines.push('          (br_if $tDone (i32.eqz (local.get $t)))');
  lines.push('          (local.set $b0 (v128.load (local.get $pb)))');
  lines.push('          (local.set $b1 (v128.load offset=16 (local.get $pb)))');
  for (let r = 0; r < 4; r++) {
    const addr = r === 0 ? '(local.get $pa)' : `(i32.add (local.get $pa) (i32.mul (local.get $aRow) (i32.const ${r})))`;
    lines.push(`          (local.set $a0 (v128.load32_splat ${addr}))`);
    for (let v = 0; v < 2; v++) lines.push(`          (local.set $c${r}_${v} (f32x4.add (local.get $c${r}_${v}) (f32x4.mul (local.get $a0) (local.get $b${v}))))`);
  }
  lines.push('          (local.set $pa (i32.add (local.get $pa) (i32.const 4)))');
  lines.push('          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))');
  lines.push('          (local.set $t (i32.sub (local.get $t) (i32.const 1)))');
  lines.push('          (br $tLoop)))');
  lines.push('        (local.set $pc (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2))))');
  for (let r = 0; r < 4; r++) {
    for (let v = 0; v < 2; v++) {
      lines.push(`        (v128.store offset=${16 * v} (local.get $pc) (f32x4.add (v128.load offset=${16 * v} (local.get $pc)) (local.get $c${r}_${v})))`);
    }
    if (r < 3) lines.push('        (local.set $pc (i32.add (local.get $pc) (local.get $cRow)))');
  }
  lines.push('        (local.set $j (i32.add (local.get $j) (i32.const 8)))');
  lines.push('        (br $jLoop)))');
  lines.push('      (local.set $i (i32.add (local.get $i) (i32.const 4)))');
  lines.push('      (br $iLoop)))');
  lines.push('  )');
  return lines.join('\n');
}

/**
 * The whole module: one imported (unshared) memory and the four kernels.
 *
 * @example wabt.parseWat('transformer.wat', transformerWat(), { simd: true })
 */
export function transformerWat(): string {
  return `(module
  (import "env" "memory" (memory 1))
  (func $hsum (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))
${gemmRows()}
${SCORES}
${CONTEXT}
${BACKWARD}
)
`;
}
