/**
 * WebAssembly text of the numeric kernels (SIMD128 over one imported shared memory). The GEMM micro-kernels are
 * unrolled by generator functions below; everything else is written out. `assemble-kernels.ts` turns this text into
 * the committed binary `kernels-binary.ts`, so nothing is compiled at install time.
 *
 * All pointers are byte offsets into the shared memory. Vector lengths (`k`) must be multiples of 8.
 */

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

/** Float32 vector helpers (k % 8 == 0) shared by the ALS kernels. */
const VECTOR_HELPERS = `
  ;; a . b over k floats, two accumulators to hide add latency
  (func $dot (param $a i32) (param $b i32) (param $k i32) (result f32)
    (local $end i32) (local $s0 v128) (local $s1 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
      (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (br $next)))
    (local.set $s0 (f32x4.add (local.get $s0) (local.get $s1)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))

  ;; y += alpha * x
  (func $axpy (param $alpha f32) (param $x i32) (param $y i32) (param $k i32)
    (local $end i32) (local $va v128)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (v128.store (local.get $y) (f32x4.add (v128.load (local.get $y)) (f32x4.mul (local.get $va) (v128.load (local.get $x)))))
      (v128.store offset=16 (local.get $y)
        (f32x4.add (v128.load offset=16 (local.get $y)) (f32x4.mul (local.get $va) (v128.load offset=16 (local.get $x)))))
      (local.set $x (i32.add (local.get $x) (i32.const 32)))
      (local.set $y (i32.add (local.get $y) (i32.const 32)))
      (br $next))))

  ;; y = x + beta * y
  (func $xpby (param $x i32) (param $beta f32) (param $y i32) (param $k i32)
    (local $end i32) (local $vb v128)
    (local.set $vb (f32x4.splat (local.get $beta)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (v128.store (local.get $y) (f32x4.add (v128.load (local.get $x)) (f32x4.mul (local.get $vb) (v128.load (local.get $y)))))
      (v128.store offset=16 (local.get $y)
        (f32x4.add (v128.load offset=16 (local.get $x)) (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $y)))))
      (local.set $x (i32.add (local.get $x) (i32.const 32)))
      (local.set $y (i32.add (local.get $y) (i32.const 32)))
      (br $next))))

  ;; out = G v for a k x k row-major G
  (func $matvec (param $g i32) (param $v i32) (param $out i32) (param $k i32)
    (local $a i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $a) (local.get $k)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 2)))
        (call $dot (local.get $g) (local.get $v) (local.get $k)))
      (local.set $g (i32.add (local.get $g) (local.get $rowBytes)))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br $next))))
`;

/**
 * Implicit-feedback ALS, one side: for every row u in [r0, r1) refine X[u] with `cgSteps` conjugate-gradient steps
 * on (G + λ_u I + Yᵀ diag(conf_u) Y) x = Yᵀ (1 + conf_u), where G = YᵀY, conf holds α·r (confidence minus one), as
 * in Takács et al. and the implicit library, and λ_u = regBase + regPerEvent · |row u| (frequency-scaled
 * regularisation). Warm-starts from the current X[u]; rows without events become zero. With withLoss, returns this
 * side's share of the training loss: Σ_u [x_uᵀ (G + λ_u I) x_u + Σ_i (c_ui (1 - s)² - s²)], s = x_u·y_i, in float64.
 */
const ALS_KERNELS = `
  (func (export "alsSolveRows")
    (param $indptr i32) (param $indices i32) (param $conf i32) (param $X i32) (param $Y i32) (param $G i32)
    (param $k i32) (param $r0 i32) (param $r1 i32) (param $cgSteps i32) (param $scratch i32) (param $withLoss i32)
    (param $regBase f32) (param $regPerEvent f32)
    (result f64)
    (local $u i32) (local $x i32) (local $r i32) (local $p i32) (local $ap i32) (local $rowBytes i32)
    (local $q0 i32) (local $q i32) (local $qEnd i32) (local $y i32) (local $c f32) (local $s f32)
    (local $rsold f32) (local $rsnew f32) (local $d f32) (local $alpha f32) (local $it i32) (local $loss f64) (local $s64 f64)
    (local $lambda f32)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $r (local.get $scratch))
    (local.set $p (i32.add (local.get $r) (local.get $rowBytes)))
    (local.set $ap (i32.add (local.get $p) (local.get $rowBytes)))
    (local.set $u (local.get $r0))
    (block $usersDone (loop $users
      (br_if $usersDone (i32.ge_u (local.get $u) (local.get $r1)))
      (local.set $x (i32.add (local.get $X) (i32.mul (local.get $u) (local.get $rowBytes))))
      (local.set $q0 (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
      (local.set $qEnd (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
      (if (i32.eq (local.get $q0) (local.get $qEnd)) (then
        (memory.fill (local.get $x) (i32.const 0) (local.get $rowBytes))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $users)))
      (local.set $lambda (f32.add (local.get $regBase)
        (f32.mul (local.get $regPerEvent) (f32.convert_i32_u (i32.sub (local.get $qEnd) (local.get $q0))))))
      ;; r = b - A x = Σ_i (c_i - (c_i - 1) y_i·x) y_i - (G + λ_u I) x
      (call $matvec (local.get $G) (local.get $x) (local.get $ap) (local.get $k))
      (call $axpy (local.get $lambda) (local.get $x) (local.get $ap) (local.get $k))
      (memory.fill (local.get $r) (i32.const 0) (local.get $rowBytes))
      (call $axpy (f32.const -1) (local.get $ap) (local.get $r) (local.get $k))
      (local.set $q (local.get $q0))
      (block $rDone (loop $rNext
        (br_if $rDone (i32.ge_u (local.get $q) (local.get $qEnd)))
        (local.set $y (i32.add (local.get $Y) (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $c (f32.load (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $s (call $dot (local.get $y) (local.get $x) (local.get $k)))
        (call $axpy (f32.sub (f32.add (f32.const 1) (local.get $c)) (f32.mul (local.get $c) (local.get $s))) (local.get $y) (local.get $r) (local.get $k))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rNext)))
      (memory.copy (local.get $p) (local.get $r) (local.get $rowBytes))
      (local.set $rsold (call $dot (local.get $r) (local.get $r) (local.get $k)))
      (local.set $it (i32.const 0))
      (block $cgDone (loop $cg
        (br_if $cgDone (i32.ge_u (local.get $it) (local.get $cgSteps)))
        (br_if $cgDone (f32.lt (local.get $rsold) (f32.const 1e-20)))
        ;; Ap = (G + λ_u I) p + Σ_i (c_i - 1) (y_i·p) y_i, without forming Yᵀ C_u Y
        (call $matvec (local.get $G) (local.get $p) (local.get $ap) (local.get $k))
        (call $axpy (local.get $lambda) (local.get $p) (local.get $ap) (local.get $k))
        (local.set $q (local.get $q0))
        (block $aDone (loop $aNext
          (br_if $aDone (i32.ge_u (local.get $q) (local.get $qEnd)))
          (local.set $y (i32.add (local.get $Y) (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes))))
          (local.set $c (f32.load (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2)))))
          (call $axpy (f32.mul (local.get $c) (call $dot (local.get $y) (local.get $p) (local.get $k))) (local.get $y) (local.get $ap) (local.get $k))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $aNext)))
        (local.set $d (call $dot (local.get $p) (local.get $ap) (local.get $k)))
        (br_if $cgDone (f32.le (local.get $d) (f32.const 0)))
        (local.set $alpha (f32.div (local.get $rsold) (local.get $d)))
        (call $axpy (local.get $alpha) (local.get $p) (local.get $x) (local.get $k))
        (call $axpy (f32.neg (local.get $alpha)) (local.get $ap) (local.get $r) (local.get $k))
        (local.set $rsnew (call $dot (local.get $r) (local.get $r) (local.get $k)))
        (br_if $cgDone (f32.lt (local.get $rsnew) (f32.const 1e-20)))
        (call $xpby (local.get $r) (f32.div (local.get $rsnew) (local.get $rsold)) (local.get $p) (local.get $k))
        (local.set $rsold (local.get $rsnew))
        (local.set $it (i32.add (local.get $it) (i32.const 1)))
        (br $cg)))
      (if (local.get $withLoss) (then
        (call $matvec (local.get $G) (local.get $x) (local.get $ap) (local.get $k))
        (call $axpy (local.get $lambda) (local.get $x) (local.get $ap) (local.get $k))
        (local.set $loss (f64.add (local.get $loss) (f64.promote_f32 (call $dot (local.get $x) (local.get $ap) (local.get $k)))))
        (local.set $q (local.get $q0))
        (block $lDone (loop $lNext
          (br_if $lDone (i32.ge_u (local.get $q) (local.get $qEnd)))
          (local.set $y (i32.add (local.get $Y) (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes))))
          (local.set $c (f32.load (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2)))))
          (local.set $s64 (f64.promote_f32 (call $dot (local.get $y) (local.get $x) (local.get $k))))
          ;; (1 + c)(1 - s)² - s²
          (local.set $loss (f64.add (local.get $loss)
            (f64.sub
              (f64.mul (f64.add (f64.const 1) (f64.promote_f32 (local.get $c)))
                (f64.mul (f64.sub (f64.const 1) (local.get $s64)) (f64.sub (f64.const 1) (local.get $s64))))
              (f64.mul (local.get $s64) (local.get $s64)))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $lNext)))))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br $users)))
    (local.get $loss))

  ;; out (k x k) += Σ_{u in [r0, r1)} Y[u] Y[u]ᵀ
  (func (export "gramAccF32") (param $Y i32) (param $k i32) (param $r0 i32) (param $r1 i32) (param $out i32)
    (local $u i32) (local $y i32) (local $a i32) (local $rowBytes i32) (local $o i32)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $u (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $u) (local.get $r1)))
      (local.set $y (i32.add (local.get $Y) (i32.mul (local.get $u) (local.get $rowBytes))))
      (local.set $a (i32.const 0))
      (local.set $o (local.get $out))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $a) (local.get $k)))
        (call $axpy (f32.load (i32.add (local.get $y) (i32.shl (local.get $a) (i32.const 2)))) (local.get $y) (local.get $o) (local.get $k))
        (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $cols)))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br $rows))))
`;

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
    VECTOR_HELPERS,
    ALS_KERNELS,
    BPR_KERNELS,
    ')',
    '',
  ].join('\n');
}
