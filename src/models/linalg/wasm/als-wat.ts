/**
 * WebAssembly text of the implicit-ALS kernels (float32, SIMD128; vector lengths `k` are multiples of 8), spliced into
 * the module by kernels-wat.ts. The hot loops are written out by the generators below rather than called (V8 on
 * Node 20 does not inline WebAssembly calls) and work on four interactions, or four rows of G, at a time, so that each
 * chunk of the vector they multiply or update is loaded once for four: a CG pass over 940k interactions at k = 64
 * went from 0.14 s to 0.09 s.
 *
 * Every generated loop performs the very float operations, in the very order, of the plain helpers ($dot, $axpy)
 * it replaces, so blocking changes speed, never results (factors are bit-for-bit those of the one-call-per-dot
 * kernel).
 */

// lane shuffles: [a0, a2, b0, b2] and [a1, a3, b1, b3]; adding the two sums adjacent lanes pairwise
const EVEN = 'i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27';
const ODD = 'i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31';
const LANE = [0, 1, 2, 3].map((l) => `i8x16.shuffle ${Array.from({ length: 4 }, () => `${4 * l} ${4 * l + 1} ${4 * l + 2} ${4 * l + 3}`).join(' ')}`);

const get = (name: string): string => `(local.get $${name})`;
const at = (ptr: string, offset: string): string => `(i32.add ${get(ptr)} ${get(offset)})`;

/** Locals the generated blocks use (declare once per function that uses them). */
const BLOCK_LOCALS =
  '(local $o i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $va v128) ' +
  '(local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128) (local $d4 v128) (local $d5 v128) (local $d6 v128) ' +
  '(local $d7 v128) (local $s v128) (local $w v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $cv v128)';

/**
 * A loop over the k floats of a row, `wide` 16-byte chunks per turn while they last, then two per turn (rows are
 * whole 32-byte multiples); `chunk(offset)` emits the work for the chunk at byte `$o + offset`. Immediate offsets
 * spare the address arithmetic that otherwise dominates these short loops.
 */
function rowLoop(label: string, wide: number, chunk: (offset: number) => string[]): string {
  const turn = (chunks: number, name: string): string[] => [
    `(block $${name}Done (loop $${name}Next`,
    `  (br_if $${name}Done (i32.gt_u (i32.add ${get('o')} (i32.const ${16 * chunks})) ${get('rowBytes')}))`,
    ...Array.from({ length: chunks }, (_, j) => chunk(16 * j).map((line) => `  ${line}`)).flat(),
    `  (local.set $o (i32.add ${get('o')} (i32.const ${16 * chunks})))`,
    `  (br $${name}Next)))`,
  ];
  return ['(local.set $o (i32.const 0))', ...turn(wide, `${label}Wide`), ...turn(2, `${label}Pair`)].join('\n');
}

/**
 * $s = [p0·v, p1·v, p2·v, p3·v] over k floats, each rounded exactly like `$dot` (two accumulators over alternate
 * 16-byte chunks, then (l0 + l1) + (l2 + l3)); each chunk of v is loaded once for all four.
 */
function dot4(v: string, label: string): string {
  const chunk = (offset: number): string[] => {
    const hi = (offset / 16) % 2 === 1;
    const load = (ptr: string): string => `(v128.load offset=${offset} ${at(ptr, 'o')})`;
    return [
      `(local.set $va ${load(v)})`,
      ...[0, 1, 2, 3].map((i) => {
        const d = `d${hi ? i + 4 : i}`;
        return `(local.set $${d} (f32x4.add ${get(d)} (f32x4.mul ${load(`p${i}`)} ${get('va')})))`;
      }),
    ];
  };
  return [
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `(local.set $d${i} (v128.const i64x2 0 0))`),
    rowLoop(label, 4, chunk),
    ...[0, 1, 2, 3].map((i) => `(local.set $d${i} (f32x4.add ${get(`d${i}`)} ${get(`d${i + 4}`)}))`),
    `(local.set $d4 (f32x4.add (${EVEN} ${get('d0')} ${get('d1')}) (${ODD} ${get('d0')} ${get('d1')})))`,
    `(local.set $d5 (f32x4.add (${EVEN} ${get('d2')} ${get('d3')}) (${ODD} ${get('d2')} ${get('d3')})))`,
    `(local.set $s (f32x4.add (${EVEN} ${get('d4')} ${get('d5')}) (${ODD} ${get('d4')} ${get('d5')})))`,
  ].join('\n');
}

/** out += w[0]·p0 + w[1]·p1 + w[2]·p2 + w[3]·p3, added in that order (as four successive `$axpy` calls would). */
function axpy4(out: string, label: string): string {
  const chunk = (offset: number): string[] => {
    const load = (ptr: string): string => `(v128.load offset=${offset} ${at(ptr, 'o')})`;
    const sum = [0, 1, 2, 3].reduce((acc, i) => `(f32x4.add ${acc} (f32x4.mul ${get(`w${i}`)} ${load(`p${i}`)}))`, load(out));
    return [`(v128.store offset=${offset} ${at(out, 'o')} ${sum})`];
  };
  return [...[0, 1, 2, 3].map((i) => `(local.set $w${i} (${LANE[i]} ${get('w')} ${get('w')}))`), rowLoop(label, 4, chunk)].join('\n');
}

type NnzPass = 'residual' | 'curvature' | 'loss';

/**
 * One sweep over the row's interactions q in [q0, qEnd), four at a time, then singly:
 * residual  r  += ((1 + c) - c·(y·x)) y   (v = x, out = r)
 * curvature ap += (c·(y·p)) y              (v = p, out = ap)
 * loss      loss += (1 + c)(1 - s)² - s², s = y·x, in float64
 */
function nnzPass(pass: NnzPass, v: string, out: string): string {
  const L = pass;
  const rowPtr = (lane: number): string =>
    `(local.set $p${lane} (i32.add ${get('Y')} (i32.mul (i32.load offset=${4 * lane} (i32.add ${get('indices')} (i32.shl ${get('q')} (i32.const 2)))) ${get('rowBytes')})))`;
  const lossTerm = (s64: string, c: string): string =>
    `(local.set $loss (f64.add ${get('loss')} (f64.sub (f64.mul (f64.add (f64.const 1) (f64.promote_f32 ${c})) ` +
    `(f64.mul (f64.sub (f64.const 1) ${s64}) (f64.sub (f64.const 1) ${s64}))) (f64.mul ${s64} ${s64}))))`;
  let block: string[];
  if (pass === 'loss') {
    block = [0, 1, 2, 3].flatMap((l) => [
      `(local.set $s64 (f64.promote_f32 (f32x4.extract_lane ${l} ${get('s')})))`,
      lossTerm(get('s64'), `(f32x4.extract_lane ${l} ${get('cv')})`),
    ]);
  } else {
    const coef = pass === 'residual'
      ? `(f32x4.sub (f32x4.add (v128.const f32x4 1 1 1 1) ${get('cv')}) (f32x4.mul ${get('cv')} ${get('s')}))`
      : `(f32x4.mul ${get('cv')} ${get('s')})`;
    block = [`(local.set $w ${coef})`, axpy4(out, `${L}Axpy`)];
  }
  const yRow = `(local.set $y (i32.add ${get('Y')} (i32.mul (i32.load (i32.add ${get('indices')} (i32.shl ${get('q')} (i32.const 2)))) ${get('rowBytes')})))`;
  const cOne = `(local.set $c (f32.load (i32.add ${get('conf')} (i32.shl ${get('q')} (i32.const 2)))))`;
  const single = {
    residual: `(call $axpy (f32.sub (f32.add (f32.const 1) ${get('c')}) (f32.mul ${get('c')} (call $dot ${get('y')} ${get(v)} ${get('k')}))) ${get('y')} ${get(out)} ${get('k')})`,
    curvature: `(call $axpy (f32.mul ${get('c')} (call $dot ${get('y')} ${get(v)} ${get('k')})) ${get('y')} ${get(out)} ${get('k')})`,
    loss: `(local.set $s64 (f64.promote_f32 (call $dot ${get('y')} ${get(v)} ${get('k')})))\n${lossTerm(get('s64'), get('c'))}`,
  }[pass];
  return [
    `(local.set $q ${get('q0')})`,
    `(block $${L}QuadsDone (loop $${L}Quads`,
    `  (br_if $${L}QuadsDone (i32.gt_u (i32.add ${get('q')} (i32.const 4)) ${get('qEnd')}))`,
    ...[0, 1, 2, 3].map(rowPtr),
    `  (local.set $cv (v128.load (i32.add ${get('conf')} (i32.shl ${get('q')} (i32.const 2)))))`,
    dot4(v, `${L}Dot`),
    ...block,
    `  (local.set $q (i32.add ${get('q')} (i32.const 4)))`,
    `  (br $${L}Quads)))`,
    `(block $${L}OnesDone (loop $${L}Ones`,
    `  (br_if $${L}OnesDone (i32.ge_u ${get('q')} ${get('qEnd')}))`,
    yRow,
    cOne,
    single,
    `  (local.set $q (i32.add ${get('q')} (i32.const 1)))`,
    `  (br $${L}Ones)))`,
  ].join('\n');
}

/** Float32 vector helpers (k % 8 == 0) and the shifted mat-vec. */
const HELPERS = `
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

  ;; out = (G + lambda I) v for a k x k row-major G, four rows of G per pass over v
  (func $shiftedMatvec (param $G i32) (param $v i32) (param $out i32) (param $k i32) (param $lambda f32)
    (local $rowBytes i32) (local $a i32) ${BLOCK_LOCALS}
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $a) (local.get $rowBytes)))
      (local.set $p0 (local.get $G))
      (local.set $p1 (i32.add (local.get $p0) (local.get $rowBytes)))
      (local.set $p2 (i32.add (local.get $p1) (local.get $rowBytes)))
      (local.set $p3 (i32.add (local.get $p2) (local.get $rowBytes)))
${dot4('v', 'mv')}
      (v128.store (i32.add (local.get $out) (local.get $a))
        (f32x4.add (local.get $s) (f32x4.mul (f32x4.splat (local.get $lambda)) (v128.load (i32.add (local.get $v) (local.get $a))))))
      (local.set $G (i32.add (local.get $p3) (local.get $rowBytes)))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (br $rows))))
`;

/**
 * Implicit-feedback ALS, one side: for every row u in [r0, r1) refine X[u] with `cgSteps` conjugate-gradient steps
 * on (G + λ_u I + Yᵀ diag(conf_u) Y) x = Yᵀ (1 + conf_u), where G = YᵀY (symmetric), conf holds α·r (confidence
 * minus one), as in Takács et al. and the implicit library, and λ_u = regBase + regPerEvent · |row u|
 * (frequency-scaled regularisation). Warm-starts from the current X[u]; rows without events become zero. With
 * withLoss, returns this side's share of the training loss: Σ_u [x_uᵀ (G + λ_u I) x_u + Σ_i (c_ui (1 - s)² - s²)],
 * s = x_u·y_i, in float64. Scratch holds three k-vectors (r, p, Ap).
 */
const ALS_SOLVE = `
  (func $alsRow
    (param $indptr i32) (param $indices i32) (param $conf i32) (param $X i32) (param $Y i32) (param $G i32)
    (param $k i32) (param $u i32) (param $cgSteps i32) (param $scratch i32) (param $withLoss i32)
    (param $regBase f32) (param $regPerEvent f32) (param $loss f64)
    (result f64)
    (local $x i32) (local $r i32) (local $p i32) (local $ap i32) (local $rowBytes i32)
    (local $q0 i32) (local $q i32) (local $qEnd i32) (local $y i32) (local $c f32)
    (local $rsold f32) (local $rsnew f32) (local $d f32) (local $alpha f32) (local $it i32) (local $s64 f64)
    (local $lambda f32) ${BLOCK_LOCALS}
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $r (local.get $scratch))
    (local.set $p (i32.add (local.get $r) (local.get $rowBytes)))
    (local.set $ap (i32.add (local.get $p) (local.get $rowBytes)))
    (local.set $x (i32.add (local.get $X) (i32.mul (local.get $u) (local.get $rowBytes))))
    (local.set $q0 (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
    (local.set $qEnd (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
    (if (i32.eq (local.get $q0) (local.get $qEnd)) (then
      (memory.fill (local.get $x) (i32.const 0) (local.get $rowBytes))
      (return (local.get $loss))))
    (local.set $lambda (f32.add (local.get $regBase)
      (f32.mul (local.get $regPerEvent) (f32.convert_i32_u (i32.sub (local.get $qEnd) (local.get $q0))))))
    ;; r = b - A x = Σ_i (c_i - (c_i - 1) y_i·x) y_i - (G + λ_u I) x
    (call $shiftedMatvec (local.get $G) (local.get $x) (local.get $ap) (local.get $k) (local.get $lambda))
    (memory.fill (local.get $r) (i32.const 0) (local.get $rowBytes))
    (call $axpy (f32.const -1) (local.get $ap) (local.get $r) (local.get $k))
${nnzPass('residual', 'x', 'r')}
    (memory.copy (local.get $p) (local.get $r) (local.get $rowBytes))
    (local.set $rsold (call $dot (local.get $r) (local.get $r) (local.get $k)))
    (block $cgDone (loop $cg
      (br_if $cgDone (i32.ge_u (local.get $it) (local.get $cgSteps)))
      (br_if $cgDone (f32.lt (local.get $rsold) (f32.const 1e-20)))
      ;; Ap = (G + λ_u I) p + Σ_i (c_i - 1) (y_i·p) y_i, without forming Yᵀ C_u Y
      (call $shiftedMatvec (local.get $G) (local.get $p) (local.get $ap) (local.get $k) (local.get $lambda))
${nnzPass('curvature', 'p', 'ap')}
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
      (call $shiftedMatvec (local.get $G) (local.get $x) (local.get $ap) (local.get $k) (local.get $lambda))
      (local.set $loss (f64.add (local.get $loss) (f64.promote_f32 (call $dot (local.get $x) (local.get $ap) (local.get $k)))))
${nnzPass('loss', 'x', 'ap')}))
    (local.get $loss))

  (func (export "alsSolveRows")
    (param $indptr i32) (param $indices i32) (param $conf i32) (param $X i32) (param $Y i32) (param $G i32)
    (param $k i32) (param $r0 i32) (param $r1 i32) (param $cgSteps i32) (param $scratch i32) (param $withLoss i32)
    (param $regBase f32) (param $regPerEvent f32)
    (result f64)
    (local $u i32) (local $loss f64)
    (local.set $u (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $u) (local.get $r1)))
      (local.set $loss (call $alsRow (local.get $indptr) (local.get $indices) (local.get $conf)
        (local.get $X) (local.get $Y) (local.get $G) (local.get $k) (local.get $u) (local.get $cgSteps) (local.get $scratch)
        (local.get $withLoss) (local.get $regBase) (local.get $regPerEvent) (local.get $loss)))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br $rows)))
    (local.get $loss))
`;

/** out[a, 0 .. end of a's diagonal chunk] += Σ over the given factor rows of f[a]·f, as successive `$axpy` calls would. */
function gramRows(count: 1 | 4): string {
  const L = `g${count}`;
  const lanes = Array.from({ length: count }, (_, i) => i);
  const sum = lanes.reduce(
    (acc, i) => `(f32x4.add ${acc} (f32x4.mul ${get(`w${i}`)} (v128.load ${at(`p${i}`, 'o')})))`,
    `(v128.load ${at('row', 'o')})`,
  );
  return [
    ...lanes.map((i) => `(local.set $p${i} (i32.add ${get('F')} (i32.mul (i32.add ${get('f')} (i32.const ${i})) ${get('rowBytes')})))`),
    `(local.set $a ${get('a0')})`,
    `(local.set $row (i32.add ${get('out')} (i32.mul ${get('a0')} ${get('rowBytes')})))`,
    `(block $${L}RowsDone (loop $${L}Rows`,
    `  (br_if $${L}RowsDone (i32.ge_u ${get('a')} ${get('a1')}))`,
    ...lanes.map((i) => `  (local.set $w${i} (v128.load32_splat (i32.add ${get(`p${i}`)} (i32.shl ${get('a')} (i32.const 2)))))`),
    // bytes up to and including the 16-byte chunk that holds the diagonal
    `  (local.set $end (i32.shl (i32.add (i32.shr_u ${get('a')} (i32.const 2)) (i32.const 1)) (i32.const 4)))`,
    '  (local.set $o (i32.const 0))',
    `  (block $${L}ColsDone (loop $${L}Cols`,
    `    (br_if $${L}ColsDone (i32.ge_u ${get('o')} ${get('end')}))`,
    `    (v128.store ${at('row', 'o')} ${sum})`,
    `    (local.set $o (i32.add ${get('o')} (i32.const 16)))`,
    `    (br $${L}Cols)))`,
    `  (local.set $row (i32.add ${get('row')} ${get('rowBytes')}))`,
    `  (local.set $a (i32.add ${get('a')} (i32.const 1)))`,
    `  (br $${L}Rows)))`,
  ].join('\n');
}

/**
 * Rows [a0, a1) of the lower triangle of FᵀF for factor rows [f0, f1) of F (k floats each): zeroes out's rows
 * [a0, a1), then adds f[a]·f over the columns up to each row's diagonal chunk (a few entries past the diagonal get
 * written too; the caller mirrors the strict upper triangle from the lower). Each entry is the same sequential sum
 * over factor rows whichever rows of `out` a worker owns, so the result does not depend on the split.
 */
const ALS_GRAM = `
  (func (export "gramLowerF32") (param $F i32) (param $k i32) (param $f0 i32) (param $f1 i32) (param $out i32) (param $a0 i32) (param $a1 i32)
    (local $rowBytes i32) (local $f i32) (local $a i32) (local $row i32) (local $end i32) ${BLOCK_LOCALS}
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (memory.fill (i32.add (local.get $out) (i32.mul (local.get $a0) (local.get $rowBytes))) (i32.const 0)
      (i32.mul (i32.sub (local.get $a1) (local.get $a0)) (local.get $rowBytes)))
    (local.set $f (local.get $f0))
    (block $quadsDone (loop $quads
      (br_if $quadsDone (i32.gt_u (i32.add (local.get $f) (i32.const 4)) (local.get $f1)))
${gramRows(4)}
      (local.set $f (i32.add (local.get $f) (i32.const 4)))
      (br $quads)))
    (block $onesDone (loop $ones
      (br_if $onesDone (i32.ge_u (local.get $f) (local.get $f1)))
${gramRows(1)}
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br $ones))))
`;

/**
 * The ALS part of the module: vector helpers, the CG row solver (export alsSolveRows) and the Gram kernel (export
 * gramLowerF32).
 *
 * @example [ '(module', memoryImport, alsKernelsWat(), ')' ].join('\n')
 */
export function alsKernelsWat(): string {
  return [HELPERS, ALS_SOLVE, ALS_GRAM].join('\n');
}
