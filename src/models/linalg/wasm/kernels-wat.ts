/**
 * WebAssembly text of the numeric kernels (SIMD128 over one imported shared memory). The GEMM micro-kernels are
 * unrolled by generator functions below; everything else is written out. `assemble-kernels.ts` turns this text into
 * the committed binary `kernels-binary.ts`, so nothing is compiled at install time.
 *
 * All pointers are byte offsets into the shared memory. Vector lengths (`k`) must be multiples of 8. The ALS kernels
 * live in als-wat.ts.
 */

import { alsKernelsWat } from './als-wat.js';

type Precision = 'f32' | 'f64';

/**
 * `C[m x n] (row-major, ldc elements) += Ap * Bp` with Ap packed as [m/4][kk][4] (strips of four rows, k-major) and
 * Bp packed as [n/w][kk][w] (w = 8 floats or 4 doubles). Register-blocked 4 x w: 8 vector accumulators.
 */
function gemmAcc(name: string, p: Precision): string {
  const rows = 4;
  const vecs = 2;
  const lanes = p === 'f32' ? 4 : 2;
  const bytes = p === 'f32' ? 4 : 8;
  const shift = p === 'f32' ? 2 : 3;
  const width = lanes * vecs;
  const splat = p === 'f32' ? 'v128.load32_splat' : 'v128.load64_splat';
  const op = `${p}x${lanes}`;
  const accs: string[] = [];
  for (let r = 0; r < rows; r++) for (let v = 0; v < vecs; v++) accs.push(`$c${r}_${v}`);
  const lines: string[] = [];
  const emit = (indent: number, text: string): void => void lines.push(' '.repeat(indent) + text);
  emit(2, `(func (export "${name}")`);
  emit(4, '(param $c i32) (param $ldc i32) (param $ap i32) (param $bp i32) (param $m i32) (param $n i32) (param $kk i32)');
  emit(4, '(local $i i32) (local $j i32) (local $t i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $rowBytes i32)');
  emit(4, `(local $a v128) ${Array.from({ length: vecs }, (_, v) => `(local $b${v} v128)`).join(' ')}`);
  emit(4, accs.map((a) => `(local ${a} v128)`).join(' '));
  emit(4, `(local.set $rowBytes (i32.shl (local.get $ldc) (i32.const ${shift})))`);
  emit(4, '(block $iDone (loop $iLoop');
  emit(6, '(br_if $iDone (i32.ge_u (local.get $i) (local.get $m)))');
  emit(6, '(local.set $j (i32.const 0))');
  emit(6, '(block $jDone (loop $jLoop');
  emit(8, '(br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))');
  for (const a of accs) emit(8, `(local.set ${a} (v128.const i64x2 0 0))`);
  // strip i/4 of Ap starts i*kk elements in; group j/w of Bp starts j*kk elements in
  emit(8, `(local.set $pa (i32.add (local.get $ap) (i32.shl (i32.mul (local.get $i) (local.get $kk)) (i32.const ${shift}))))`);
  emit(8, `(local.set $pb (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $j) (local.get $kk)) (i32.const ${shift}))))`);
  emit(8, '(local.set $t (local.get $kk))');
  emit(8, '(block $tDone (loop $tLoop');
  emit(10, '(br_if $tDone (i32.eqz (local.get $t)))');
  for (let v = 0; v < vecs; v++) emit(10, `(local.set $b${v} (v128.load offset=${16 * v} (local.get $pb)))`);
  for (let r = 0; r < rows; r++) {
    emit(10, `(local.set $a (${splat} offset=${bytes * r} (local.get $pa)))`);
    for (let v = 0; v < vecs; v++) {
      emit(10, `(local.set $c${r}_${v} (${op}.add (local.get $c${r}_${v}) (${op}.mul (local.get $a) (local.get $b${v}))))`);
    }
  }
  emit(10, `(local.set $pa (i32.add (local.get $pa) (i32.const ${bytes * rows})))`);
  emit(10, `(local.set $pb (i32.add (local.get $pb) (i32.const ${16 * vecs})))`);
  emit(10, '(local.set $t (i32.sub (local.get $t) (i32.const 1)))');
  emit(10, '(br $tLoop)))');
  emit(8, `(local.set $pc (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const ${shift}))))`);
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < vecs; v++) {
      emit(8, `(v128.store offset=${16 * v} (local.get $pc) (${op}.add (v128.load offset=${16 * v} (local.get $pc)) (local.get $c${r}_${v})))`);
    }
    if (r < rows - 1) emit(8, '(local.set $pc (i32.add (local.get $pc) (local.get $rowBytes)))');
  }
  emit(8, `(local.set $j (i32.add (local.get $j) (i32.const ${width})))`);
  emit(8, '(br $jLoop)))');
  emit(6, `(local.set $i (i32.add (local.get $i) (i32.const ${rows})))`);
  emit(6, '(br $iLoop)))');
  emit(2, ')');
  return lines.join('\n');
}

/**
 * BPR-MF SGD on one sampled triple (Rendle et al. 2009), four floats at a time (k % 8 == 0). The sampling and the
 * sigmoid stay in JavaScript; these do the O(k) vector work.
 */
const BPR_KERNELS = `
  ;; x · (yi - yj)
  (func (export "bprScoreDiff") (param $x i32) (param $yi i32) (param $yj i32) (param $k i32) (result f32)
    (local $end i32) (local $s0 v128) (local $s1 v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $s0 (f32x4.add (local.get $s0)
        (f32x4.mul (v128.load (local.get $x)) (f32x4.sub (v128.load (local.get $yi)) (v128.load (local.get $yj))))))
      (local.set $s1 (f32x4.add (local.get $s1)
        (f32x4.mul (v128.load offset=16 (local.get $x)) (f32x4.sub (v128.load offset=16 (local.get $yi)) (v128.load offset=16 (local.get $yj))))))
      (local.set $x (i32.add (local.get $x) (i32.const 32)))
      (local.set $yi (i32.add (local.get $yi) (i32.const 32)))
      (local.set $yj (i32.add (local.get $yj) (i32.const 32)))
      (br $next)))
    (local.set $s0 (f32x4.add (local.get $s0) (local.get $s1)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))

  ;; x += lr (z (yi - yj) - reg x); yi += lr (z x - reg yi); yj += lr (-z x - reg yj), all from the old values
  (func (export "bprUpdate") (param $x i32) (param $yi i32) (param $yj i32) (param $k i32) (param $z f32) (param $lr f32) (param $reg f32)
    (local $end i32) (local $vz v128) (local $vlr v128) (local $vreg v128) (local $vx v128) (local $vi v128) (local $vj v128)
    (local.set $vz (f32x4.splat (local.get $z)))
    (local.set $vlr (f32x4.splat (local.get $lr)))
    (local.set $vreg (f32x4.splat (local.get $reg)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $vx (v128.load (local.get $x)))
      (local.set $vi (v128.load (local.get $yi)))
      (local.set $vj (v128.load (local.get $yj)))
      (v128.store (local.get $x) (f32x4.add (local.get $vx) (f32x4.mul (local.get $vlr)
        (f32x4.sub (f32x4.mul (local.get $vz) (f32x4.sub (local.get $vi) (local.get $vj))) (f32x4.mul (local.get $vreg) (local.get $vx))))))
      (v128.store (local.get $yi) (f32x4.add (local.get $vi) (f32x4.mul (local.get $vlr)
        (f32x4.sub (f32x4.mul (local.get $vz) (local.get $vx)) (f32x4.mul (local.get $vreg) (local.get $vi))))))
      (v128.store (local.get $yj) (f32x4.sub (local.get $vj) (f32x4.mul (local.get $vlr)
        (f32x4.add (f32x4.mul (local.get $vz) (local.get $vx)) (f32x4.mul (local.get $vreg) (local.get $vj))))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $yi (i32.add (local.get $yi) (i32.const 16)))
      (local.set $yj (i32.add (local.get $yj) (i32.const 16)))
      (br $next))))
`;

/**
 * The complete module text.
 *
 * @example wabt.parseWat('kernels.wat', kernelsWat(), { simd: true, threads: true })
 */
export function kernelsWat(): string {
  return [
    '(module',
    '  (import "env" "memory" (memory 1 65536 shared))',
    gemmAcc('gemmAccF64', 'f64'),
    gemmAcc('gemmAccF32', 'f32'),
    alsKernelsWat(),
    BPR_KERNELS,
    ')',
    '',
  ].join('\n');
}
