/**
 * WebAssembly text of the Transformer's kernels: matrix products over row-major A or Aᵀ (gemmRowsAccF32,
 * gemmColsAccF32) with their B packing (pack8, packT8); the sampled softmax's row kernels (rowMax, expShiftSum with a
 * SIMD exp, scaleRow); and causal attention (SIMD128 over the head dimension), one segment and one head per call: q, k,
 * v, out and their gradients are rows `row` bytes apart (tokens x width, float32) and each pointer is the byte offset
 * of the segment's first row at the head's first column; `p` is the head's len x len block of attention weights (row i
 * holds j ≤ i). `dh` (the head width) must be a multiple of 4. Between attnScores and attnContext the caller runs the
 * softmax row kernels over each row of p. `assemble-kernels.ts` turns this text into the committed binary
 * `transformer-binary.ts`.
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
 * C[m x n] (row-major, ldc floats) += A · Bp, or = A · Bp when $add is 0, with Bp packed as [n/8][kk][8] (see pack8);
 * m % 4 == 0, n % 8 == 0. The gemmAccF32 micro-kernel of kernels-wat.ts (4 x 8 block, 8 vector accumulators) reading
 * A in place, so the caller copies A with one memcpy instead of packing it. gemmRowsAccF32 reads A as m x kk row-major
 * (lda floats a row); gemmColsAccF32 reads Aᵀ, A being kk x m row-major, so C += Aᵀ · B needs no transpose: its four
 * values of a step are adjacent.
 */
function gemmKernel(name: string, transposedA: boolean): string {
  const accs: string[] = [];
  for (let r = 0; r < 4; r++) for (let v = 0; v < 2; v++) accs.push(`$c${r}_${v}`);
  const lines: string[] = [];
  lines.push(`  (func (export "${name}")`);
  lines.push('    (param $c i32) (param $ldc i32) (param $a i32) (param $lda i32) (param $bp i32) (param $m i32) (param $n i32) (param $kk i32) (param $add i32)');
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
  // row i of A starts at a + i·lda; column i of A (stored kk x m) at a + i
  lines.push(transposedA
    ? '        (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))'
    : '        (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))');
  lines.push('        (local.set $pb (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $j) (local.get $kk)) (i32.const 2))))');
  lines.push('        (local.set $t (local.get $kk))');
  lines.push('        (block $tDone (loop $tLoop');
  lines.push('          (br_if $tDone (i32.eqz (local.get $t)))');
  lines.push('          (local.set $b0 (v128.load (local.get $pb)))');
  lines.push('          (local.set $b1 (v128.load offset=16 (local.get $pb)))');
  for (let r = 0; r < 4; r++) {
    // row-major A: rows lda apart; Aᵀ: the four values are adjacent (broadcast loads, not a load and four shuffles,
    // which measured 20 % slower)
    const offset = transposedA ? `offset=${4 * r} (local.get $pa)` : r === 0 ? '(local.get $pa)' : `(i32.add (local.get $pa) (i32.mul (local.get $aRow) (i32.const ${r})))`;
    lines.push(`          (local.set $a0 (v128.load32_splat ${offset}))`);
    for (let v = 0; v < 2; v++) lines.push(`          (local.set $c${r}_${v} (f32x4.add (local.get $c${r}_${v}) (f32x4.mul (local.get $a0) (local.get $b${v}))))`);
  }
  lines.push(transposedA
    ? '          (local.set $pa (i32.add (local.get $pa) (local.get $aRow)))'
    : '          (local.set $pa (i32.add (local.get $pa) (i32.const 4)))');
  lines.push('          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))');
  lines.push('          (local.set $t (i32.sub (local.get $t) (i32.const 1)))');
  lines.push('          (br $tLoop)))');
  lines.push('        (local.set $pc (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2))))');
  for (let r = 0; r < 4; r++) {
    for (let v = 0; v < 2; v++) {
      const sum = `(f32x4.add (v128.load offset=${16 * v} (local.get $pc)) (local.get $c${r}_${v}))`;
      lines.push(`        (v128.store offset=${16 * v} (local.get $pc) (select (result v128) ${sum} (local.get $c${r}_${v}) (local.get $add)))`);
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

const PACK = `
  ;; dst[j/8][p][0..7] = src[p·ld + j .. + 7] for p < rows, j < cols (cols % 8 == 0): B's 8-column strips for the
  ;; products above. src and dst must not overlap.
  (func (export "pack8") (param $src i32) (param $ld i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $j i32) (local $p i32) (local $from i32) (local $to i32) (local $ldb i32)
    (local.set $ldb (i32.shl (local.get $ld) (i32.const 2)))
    (local.set $to (local.get $dst))
    (block $jDone (loop $jLoop
      (br_if $jDone (i32.ge_u (local.get $j) (local.get $cols)))
      (local.set $from (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $p (local.get $rows))
      (block $pDone (loop $pLoop
        (br_if $pDone (i32.eqz (local.get $p)))
        (v128.store (local.get $to) (v128.load (local.get $from)))
        (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $from)))
        (local.set $from (i32.add (local.get $from) (local.get $ldb)))
        (local.set $to (i32.add (local.get $to) (i32.const 32)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $pLoop)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $jLoop)))
  )`;

/** dst[s/8][p][q] = src[(s + q)·ld + p] for s < rows (rows % 8 == 0, in steps of 8), p < cols: Bᵀ's strips for B = src. */
const PACK_TRANSPOSED = `
  (func (export "packT8") (param $src i32) (param $ld i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $s i32) (local $p i32) (local $from i32) (local $ldb i32)
    (local.set $ldb (i32.shl (local.get $ld) (i32.const 2)))
    (block $sDone (loop $sLoop
      (br_if $sDone (i32.ge_u (local.get $s) (local.get $rows)))
      (local.set $from (i32.add (local.get $src) (i32.mul (local.get $s) (local.get $ldb))))
      (local.set $p (i32.const 0))
      (block $pDone (loop $pLoop
        (br_if $pDone (i32.ge_u (local.get $p) (local.get $cols)))
        ${Array.from({ length: 8 }, (_, q) => `(f32.store offset=${4 * q} (local.get $dst) (f32.load (i32.add (local.get $from) (i32.mul (local.get $ldb) (i32.const ${q})))))`).join('\n        ')}
        (local.set $from (i32.add (local.get $from) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pLoop)))
      (local.set $s (i32.add (local.get $s) (i32.const 8)))
      (br $sLoop)))
  )`;

/** A v128 of four equal float32 constants. */
const f4 = (c: string): string => `(v128.const f32x4 ${c} ${c} ${c} ${c})`;

/**
 * The exponential of four float32 lanes, Cephes' expf: x = n·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in two so n·C1
 * is exact), e^r by its polynomial (1 + r + r²·P(r), P of degree 5), 2^n built in the exponent bits. Relative error
 * at most 8.2e-8 (1.4 float32 ulp) measured over −64 ≤ x ≤ 88 (wasm-softmax-loss.test.ts bounds it by 1.5e-7 against
 * Math.exp); x < −64 gives 0 (e^−64 ≈ 1.6e−28, far below float32 rounding of a softmax sum ≥ 1, and it keeps later
 * products free of slow subnormal floats); x > 88 gives e^88.
 */
/** The exp's constants: held in locals, set once before a loop (V8 rebuilds a v128.const at each use). */
const EXP_CONSTANTS: Array<[string, string]> = [
  ['$lowest', f4('-64')], ['$highest', f4('88')], ['$log2e', f4('1.44269504088896341')], ['$round', f4('12582912')],
  ['$bias', `(v128.const i32x4 ${Array(4).fill(0x4b400000 - 127).join(' ')})`], ['$ln2hi', f4('0.693359375')], ['$ln2lo', f4('-2.12194440e-4')],
  ['$p0', f4('1.9875691500e-4')], ['$p1', f4('1.3981999507e-3')], ['$p2', f4('8.3334519073e-3')], ['$p3', f4('4.1665795894e-2')],
  ['$p4', f4('1.6666665459e-1')], ['$p5', f4('5.0000001201e-1')], ['$one', f4('1')],
];
const EXP_LOCALS = '(local $x v128) (local $e v128) (local $fn v128) (local $r v128) (local $y v128) (local $keep v128) '
  + EXP_CONSTANTS.map(([name]) => `(local ${name} v128)`).join(' ');
const expSetup = (): string => EXP_CONSTANTS.map(([name, value]) => `(local.set ${name} ${value})`).join('\n    ');
const c = (name: string): string => `(local.get ${name})`;

/**
 * Statements setting local $e to e^$x (the locals of EXP_LOCALS, after expSetup), written inline: V8 does not inline
 * WebAssembly calls, and a call per vector doubled the cost. n is rounded by adding 1.5 · 2^23 (the float addition
 * rounds to an integer, half to even like f32x4.nearest), whose low bits are then n itself: 2^n is (those bits −
 * (bits of 1.5 · 2^23 − 127)) << 23, no float-to-int conversion.
 */
const expInline = (): string => `
      (local.set $keep (f32x4.ge (local.get $x) ${c('$lowest')}))
      (local.set $x (f32x4.pmin (f32x4.pmax (local.get $x) ${c('$lowest')}) ${c('$highest')}))
      (local.set $fn (f32x4.add (f32x4.mul (local.get $x) ${c('$log2e')}) ${c('$round')}))
      (local.set $e (i32x4.shl (i32x4.sub (local.get $fn) ${c('$bias')}) (i32.const 23)))
      (local.set $fn (f32x4.sub (local.get $fn) ${c('$round')}))
      (local.set $r (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $fn) ${c('$ln2hi')})) (f32x4.mul (local.get $fn) ${c('$ln2lo')})))
      (local.set $y ${c('$p0')})
      ${['$p1', '$p2', '$p3', '$p4', '$p5'].map((k) => `(local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) ${c(k)}))`).join('\n      ')}
      (local.set $y (f32x4.add (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r)) ${c('$one')}))
      (local.set $e (v128.and (local.get $keep) (f32x4.mul (local.get $y) (local.get $e))))`;

/**
 * One row of the sampled softmax's logits (n floats at $p): its largest value; then each replaced by e^(x − shift)
 * and their sum (in float64); then each scaled into d loss / d logit, the padding up to $ld zeroed. Four lanes at a
 * time, the last n % 4 one by one. The clamps and the max use pmin / pmax (one x86 instruction each, unlike min / max
 * with their NaN rules): a NaN logit is then skipped by the max and gives 0, but it still reaches the loss (as a
 * target's logit, or through its NaN hidden state) so a diverged model stays visible.
 */
const SOFTMAX = `
  (func (export "rowMax") (param $p i32) (param $n i32) (result f32)
    (local $end i32) (local $m v128) (local $max f32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $m ${f4('-inf')})
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $m (f32x4.pmax (local.get $m) (v128.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next)))
    (local.set $max (f32.max (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
      (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.eqz (local.get $n)))
      (local.set $max (f32.max (local.get $max) (f32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $tail)))
    (local.get $max)
  )
  (func (export "expShiftSum") (param $p i32) (param $n i32) (param $shift f32) (result f64)
    (local $end i32) (local $s v128) (local $lo v128) (local $hi v128) (local $sum f64) ${EXP_LOCALS}
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $s (f32x4.splat (local.get $shift)))
    ${expSetup()}
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $x (f32x4.sub (v128.load (local.get $p)) (local.get $s)))
      ${expInline()}
      (v128.store (local.get $p) (local.get $e))
      (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $e))))
      (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $e) (local.get $e)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next)))
    (local.set $lo (f64x2.add (local.get $lo) (local.get $hi)))
    (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo))))
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.eqz (local.get $n)))
      (local.set $x (f32x4.splat (f32.sub (f32.load (local.get $p)) (local.get $shift))))
      ${expInline()}
      (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $e)))
      (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (f32x4.extract_lane 0 (local.get $e)))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $tail)))
    (local.get $sum)
  )
  (func (export "scaleRow") (param $p i32) (param $n i32) (param $ld i32) (param $scale f32)
    (local $end4 i32) (local $end i32) (local $endLd i32) (local $s v128)
    (local.set $end4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $endLd (i32.add (local.get $p) (i32.shl (local.get $ld) (i32.const 2))))
    (local.set $s (f32x4.splat (local.get $scale)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end4)))
      (v128.store (local.get $p) (f32x4.mul (v128.load (local.get $p)) (local.get $s)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
      (f32.store (local.get $p) (f32.mul (f32.load (local.get $p)) (local.get $scale)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $tail)))
    (block $padDone (loop $pad
      (br_if $padDone (i32.ge_u (local.get $p) (local.get $endLd)))
      (f32.store (local.get $p) (f32.const 0))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $pad)))
  )`;

/**
 * The whole module: one imported (unshared) memory and the kernels above.
 *
 * @example wabt.parseWat('transformer.wat', transformerWat(), { simd: true })
 */
export function transformerWat(): string {
  return `(module
  (import "env" "memory" (memory 1))
  (func $hsum (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))
${gemmKernel('gemmRowsAccF32', false)}
${gemmKernel('gemmColsAccF32', true)}
${PACK}
${PACK_TRANSPOSED}
${SOFTMAX}
${SCORES}
${CONTEXT}
${BACKWARD}
)
`;
}
