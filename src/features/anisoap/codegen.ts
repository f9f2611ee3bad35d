// SPDX-License-Identifier: BSD-3-Clause
/**
 * Specialised straight-line AniSOAP pair kernels, built once per set of hyper-parameters as
 * programs of the kernel IR (`kernels/ir.ts`) and compiled by a kernel backend (`kernels/backend.ts`:
 * `'wasm-f64'` by default, two pairs per call, or `'cpu-f64'`, the JavaScript emitter
 * `kernels/emit-js.ts`, which compiles with `new Function`; either way no closures or tables in the
 * hot loop, every coefficient a literal and every intermediate a local). This file holds only the AniSOAP mathematics of the programs and their
 * split into stages; the IR fixes the order of every floating-point operation, so any f64 emitter
 * computes the same numbers. Straight-line code runs 3–4× faster in V8 than table-driven loops
 * over the same sparse products (measured ~0.35–0.5 ns per multiply–add against ~1.3 ns). Stages
 * are kept below ~2000 multiply–adds each so that TurboFan optimises them (it refuses functions
 * above 60 KB of bytecode).
 *
 * ## The per-pair mathematics (ANISOAP.md §4.3, evaluated in the neighbour's body frame)
 * For a pair with neighbour j (rotation R_j, semi-axes s) at `a = r_ij`, in j's body frame the
 * product Gaussian has a **diagonal** covariance `v_k = s_k² / (1 + s_k²/σ²)` and mean
 * `μ_k = α_k a'_k` (`a' = R_jᵀ a`, `α_k = 1/(1 + s_k²/σ²)`; σ⁻² = 0 for the monomial basis), so
 * its moments factorise into 1-D moments `X_p = E[x^p]` (`X_{p+1} = μ X_p + p v X_{p−1}`). The
 * radial-harmonic moments are a 3-way convolution:
 *
 * ```
 * R̃[n; a,b,c] = E[r^2n x^a y^b z^c] / n! = Σ_{i+j+h=n} (X_{a+2i}/i!)(Y_{b+2j}/j!)(Z_{c+2h}/h!)
 *            = Σ_h XY[a,b,n−h] · Z_{c+2h}/h!,     XY[a,b,s] = Σ_{i+j=s} (X_{a+2i}/i!)(Y_{b+2j}/j!)
 * ```
 *
 * and the body-frame primitive coefficients are `u[n,l,m] = Σ_abc n!·T_lm(abc)·R̃[n;abc]` with the
 * solid-harmonic monomial coefficients T. The lab-frame pair coefficients are
 * `f = D^l(R_j) u`. The caller's `scale` (`w[6]`) multiplies the z moments, so every R̃, u and f
 * carries it exactly once (pass 1: pref·switch; pass 2: pref).
 *
 * Slot array `w` (Float64Array): `w[0..2] = μ`, `w[3..5] = v`, `w[6] = scale`; the moment kernel
 * fills the other slots (1-D moments, XY, R̃).
 *
 * **Pass 1** (`pairFeatures(w, D, dOff, acc, aOff)`): moments, then per l: `u`, `f = scale·D u`,
 * `acc[aOff + cOff_l + n(2l+1) + m] += f` (D at `D[dOff + wignerOffset_l + m(2l+1) + m']`).
 *
 * **Pass 2** (`pairGradient(w, D, dOff, G, gOff, out)`): with the centre's adjoint `G` (lab frame,
 * primitive basis, same layout as `acc`), `Gb = Dᵀ G` (body frame), `W̃[n,abc] = Σ_m n!T_lm(abc) Gb[n,m]`
 * and then, with everything per unit `scale`:
 * - `out[0] += Σ W̃ R̃` (the pair energy `G·f`),
 * - `out[1+k] += Σ W̃ ∂R̃/∂μ_k`, using `∂(n! R̃[n;abc])/∂μ_x = n!(2 R̃[n−1; a+1,b,c] + a R̃[n; a−1,b,c])`,
 * - `out[4+k] += Σ_m Gb·(L_k u)` (body-frame rotation generator), using
 *   `(L_k u)` ↔ `E[r^2n (e_k × x)·∇ x^a y^b z^c]` (`r^2n` is rotation invariant), e.g. for z:
 *   `−a R̃[n; a−1,b+1,c] + b R̃[n; a+1,b−1,c]`.
 */
import { AnisoError } from '../../core/errors.js';
import { CPU_F64, kernelBackend, type KernelBackend } from '../../kernels/backend.js';
import { emitJsStage } from '../../kernels/emit-js.js';
import { add, constant, load, local, mul, neg, type ArrayParam, type Expr, type KernelProgram, type KernelStage, type Stmt as IrStmt } from '../../kernels/ir.js';
import type { AniSoapPlan } from './plan.js';

/** Index of the constant 1 among slot operands. */
const ONE = -1;
/** First free slot after the inputs `μ (3), v (3), scale`. */
export const FIRST_FREE_SLOT = 8;
/** Slot of the pair scale `pref · S(r)`. */
export const SCALE_SLOT = 6;
/** Soft limit of multiply–adds per generated function. */
const CHUNK_TERMS = 1800;
/**
 * Limit of the pass-2 chunks. Measured on the benchmark pair kernel (min of interleaved runs):
 * 400 → 4.8 µs/pair, 1200 → 4.2, 1800 → 3.9, 4000 → 3.8; smaller chunks reload D and cost calls.
 */
const GRAD_CHUNK_TERMS = 1800;

/** One term `coef · val(x) · val(y)` (x or y may be {@link ONE}). */
interface Term { coef: number; x: number; y: number }
/** `w[target] = Σ terms`. */
interface Stmt { target: number; terms: Term[] }

/** Key of a radial-harmonic moment R̃[n; a,b,c]. */
function rzKey(n: number, a: number, b: number, c: number): string {
  return `${n},${a},${b},${c}`;
}

/** Straight-line program computing a set of R̃ entries into slots. */
class MomentProgram {
  readonly stmts: Stmt[] = [];
  /** Slot (or ONE) of each computed R̃ entry. */
  readonly rz = new Map<string, number>();
  private nextSlot = FIRST_FREE_SLOT;
  private readonly moments: number[][] = [[ONE, 0], [ONE, 1], [ONE, 2]];
  private readonly scaled = new Map<string, number>();
  private readonly xy = new Map<string, number>();

  get slotCount(): number {
    return this.nextSlot;
  }

  /** A new slot holding Σ terms, or an alias when the sum is a single plain factor. */
  private define(terms: Term[]): number {
    if (terms.length === 1 && terms[0]!.coef === 1) {
      const { x, y } = terms[0]!;
      if (x === ONE) return y;
      if (y === ONE) return x;
    }
    const target = this.nextSlot++;
    this.stmts.push({ target, terms });
    return target;
  }

  /** Slot of the 1-D moment `E[x_d^p]`. */
  moment(d: number, p: number): number {
    const m = this.moments[d]!;
    while (m.length <= p) {
      const q = m.length; // X_q = μ X_{q−1} + (q−1) v X_{q−2}
      m.push(this.define([{ coef: 1, x: d, y: m[q - 1]! }, { coef: q - 1, x: 3 + d, y: m[q - 2]! }]));
    }
    return m[p]!;
  }

  /**
   * Slot of `X_{a+2i} / i!` along axis d; along z (d = 2) also times the pair scale `w[SCALE_SLOT]`,
   * so that every R̃ carries the scale exactly once at the cost of a few multiplications.
   */
  scaledMoment(d: number, a: number, i: number): number {
    const key = `${d},${a},${i}`;
    let s = this.scaled.get(key);
    if (s === undefined) {
      let f = 1;
      for (let k = 2; k <= i; k++) f *= k;
      const base = this.moment(d, a + 2 * i);
      if (d === 2) s = this.define([{ coef: 1 / f, x: base, y: SCALE_SLOT }]);
      else s = f === 1 ? base : this.define([{ coef: 1 / f, x: base, y: ONE }]);
      this.scaled.set(key, s);
    }
    return s;
  }

  /** Slot of XY[a,b,s]. */
  xyConvolution(a: number, b: number, s: number): number {
    const key = `${a},${b},${s}`;
    let v = this.xy.get(key);
    if (v === undefined) {
      const terms: Term[] = [];
      for (let i = 0; i <= s; i++) terms.push({ coef: 1, x: this.scaledMoment(0, a, i), y: this.scaledMoment(1, b, s - i) });
      v = this.define(terms);
      this.xy.set(key, v);
    }
    return v;
  }

  /** Slot of R̃[n; a,b,c]. */
  radialMoment(n: number, a: number, b: number, c: number): number {
    const key = rzKey(n, a, b, c);
    let v = this.rz.get(key);
    if (v === undefined) {
      const terms: Term[] = [];
      for (let h = 0; h <= n; h++) terms.push({ coef: 1, x: this.xyConvolution(a, b, n - h), y: this.scaledMoment(2, c, h) });
      v = this.define(terms);
      this.rz.set(key, v);
    }
    return v;
  }
}

/** The kernel arrays: slots, Wigner-D (with offset), accumulator, adjoint, pass-2 outputs. */
const W_ARRAY: ArrayParam = { name: 'w', offset: null };
const D_ARRAY: ArrayParam = { name: 'D', offset: 'dOff' };
const ACC_ARRAY: ArrayParam = { name: 'acc', offset: 'aOff' };
const G_ARRAY: ArrayParam = { name: 'G', offset: 'gOff' };
const OUT_ARRAY: ArrayParam = { name: 'out', offset: null };

/** IR of one moment term `coef · x · y` (factors of 1 and the constant operand left out). */
function termExpr(t: Term): Expr {
  const parts: Expr[] = [];
  if (t.coef !== 1) parts.push(constant(t.coef));
  if (t.x !== ONE) parts.push(local(`s${t.x}`));
  if (t.y !== ONE) parts.push(local(`s${t.y}`));
  return mul(parts);
}

/**
 * A moment program as IR stages over `w` of about `limit` terms each: slots read from earlier
 * stages are loaded first, slots used later (or listed in `outputs`) are stored back.
 */
function momentStages(prog: MomentProgram, outputs: Set<number>, limit: number, prefix: string): KernelStage[] {
  const chunks: Stmt[][] = [];
  let cur: Stmt[] = [];
  let size = 0;
  for (const s of prog.stmts) {
    if (size > limit && cur.length > 0) {
      chunks.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(s);
    size += s.terms.length;
  }
  if (cur.length > 0) chunks.push(cur);
  const definedIn = new Map<number, number>();
  chunks.forEach((c, k) => c.forEach((s) => definedIn.set(s.target, k)));
  const usedOutside = new Set<number>(outputs);
  chunks.forEach((c, k) =>
    c.forEach((s) =>
      s.terms.forEach((t) => {
        for (const v of [t.x, t.y]) if (v !== ONE && definedIn.has(v) && definedIn.get(v) !== k) usedOutside.add(v);
      }),
    ),
  );
  return chunks.map((c, k) => {
    const loads = new Set<number>();
    const body: IrStmt[] = [];
    for (const s of c) {
      for (const t of s.terms) {
        for (const v of [t.x, t.y]) if (v !== ONE && definedIn.get(v) !== k) loads.add(v);
      }
      body.push({ op: 'let', name: `s${s.target}`, value: add(s.terms.map(termExpr)) });
      if (usedOutside.has(s.target)) body.push({ op: 'store', array: 'w', index: s.target, value: local(`s${s.target}`), accumulate: false });
    }
    const head: IrStmt[] = [...loads].sort((p, q) => p - q).map((v) => ({ op: 'let', name: `s${v}`, value: load('w', v) }));
    return { name: `${prefix}-${k}`, params: [W_ARRAY], body: [...head, ...body] };
  });
}

/** The R̃ entries a plan needs: pass 1 only, or pass 1 plus the shifted ones of pass 2. */
function neededEntries(plan: AniSoapPlan, gradient: boolean): Array<[number, number, number, number]> {
  const out = new Map<string, [number, number, number, number]>();
  const add = (n: number, a: number, b: number, c: number) => {
    if (n < 0 || a < 0 || b < 0 || c < 0) return;
    out.set(rzKey(n, a, b, c), [n, a, b, c]);
  };
  for (let l = 0; l <= plan.lmax; l++) {
    for (const [a, b, c] of monomialsOf(plan, l)) {
      for (let n = 0; n < plan.nPerL[l]!; n++) {
        add(n, a, b, c);
        if (!gradient) continue;
        add(n - 1, a + 1, b, c); add(n - 1, a, b + 1, c); add(n - 1, a, b, c + 1);
        add(n, a - 1, b, c); add(n, a, b - 1, c); add(n, a, b, c - 1);
        add(n, a - 1, b + 1, c); add(n, a + 1, b - 1, c);
        add(n, a, b - 1, c + 1); add(n, a, b + 1, c - 1);
        add(n, a - 1, b, c + 1); add(n, a + 1, b, c - 1);
      }
    }
  }
  return [...out.values()];
}

/** The distinct monomials (a, b, c) used by the degree-l solid harmonics. */
function monomialsOf(plan: AniSoapPlan, l: number): Array<[number, number, number]> {
  const seen = new Map<string, [number, number, number]>();
  for (const t of plan.harmonics.terms[l]!) {
    for (let k = 0; k < t.coef.length; k++) seen.set(`${t.a[k]},${t.b[k]},${t.c[k]}`, [t.a[k]!, t.b[k]!, t.c[k]!]);
  }
  return [...seen.values()].sort((p, q) => q[0] - p[0] || q[1] - p[1]);
}

/** `n! · T_lm(abc)` as a map (a,b,c) → coefficient per m index. */
function harmonicColumns(plan: AniSoapPlan, l: number): Map<string, number[]> {
  const cols = new Map<string, number[]>();
  const row = plan.harmonics.terms[l]!;
  for (let mi = 0; mi <= 2 * l; mi++) {
    const t = row[mi]!;
    for (let k = 0; k < t.coef.length; k++) {
      const key = `${t.a[k]},${t.b[k]},${t.c[k]}`;
      let col = cols.get(key);
      if (!col) {
        col = new Array<number>(2 * l + 1).fill(0);
        cols.set(key, col);
      }
      col[mi] = t.coef[k]!;
    }
  }
  return cols;
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Split 0…N−1 into groups so that each group does at most about CHUNK_TERMS work of `perN`. */
function nGroups(nl: number, perN: number, limit: number): number[][] {
  const per = Math.max(1, Math.floor(limit / Math.max(1, perN)));
  const groups: number[][] = [];
  for (let n0 = 0; n0 < nl; n0 += per) {
    const g: number[] = [];
    for (let n = n0; n < Math.min(nl, n0 + per); n++) g.push(n);
    groups.push(g);
  }
  return groups;
}

/** The IR programs of one plan (module doc), and the slot bookkeeping the engine needs. */
export interface AniSoapKernelPrograms {
  /** Pass 1 `(w, D, dOff, acc, aOff)`: moment stages, then per-l expansion stages. */
  readonly pairFeatures: KernelProgram;
  /** Pass 2 `(w, D, dOff, G, gOff, out)`: the pass-2 moment stages, then per-l gradient stages. */
  readonly pairGradient: KernelProgram;
  /** The pass-2 moment stages alone `(w)` (for the dense-gradient path). */
  readonly gradMoments: KernelProgram;
  /** Slots needed in `w` (the larger of the two passes). */
  readonly slotCount: number;
  /** Slot of each R̃ entry of the pass-2 program, key `n,a,b,c` (for the dense-gradient path). */
  readonly gradSlots: Map<string, number>;
}

/** JavaScript text of the generated stages (for inspection and tests). */
export interface AniSoapKernelSources {
  /** Pass-1 moment stages `(w)`. */
  momentChunks: string[];
  /** Pass-1 per-l stages `(w, D, dOff, acc, aOff)`. */
  expandChunks: string[];
  /** Pass-2 moment stages `(w)` (more entries). */
  gradMomentChunks: string[];
  /** Pass-2 per-l stages `(w, D, dOff, G, gOff, out)`. */
  gradChunks: string[];
  /** Slots needed in `w` (the larger of the two passes). */
  slotCount: number;
  /** Slot of each R̃ entry of the pass-2 program, key `n,a,b,c`. */
  gradSlots: Map<string, number>;
}

/** Loads `const d{m}_{m'} = D[dOff + …]` of the Wigner block at `dBase` (W × W). */
function wignerLoads(body: IrStmt[], W: number, dBase: number): void {
  for (let mi = 0; mi < W; mi++) for (let mp = 0; mp < W; mp++) body.push({ op: 'let', name: `d${mi}_${mp}`, value: load('D', dBase + mi * W + mp) });
}

/**
 * Body of a pass-2 stage (degree l, radial indices `group`), after the D loads in `body`:
 * `Gb = Dᵀ G`, the adjoint entries `W̃[n,abc]`, then, **moment-major**, for each output (energy,
 * three ∂/∂μ, three generators) and each moment R̃ one product with the summed integer multiples of
 * the W̃ that reference it (force: `2 W̃[n+1; abc − e_k]` and `(a_k+1) W̃[n; abc + e_k]`; generators:
 * the integer powers). Grouping by moment roughly halves the multiplications of the entry-major
 * order and measured ~20 % faster per pair.
 */
function gradStageBody(
  body: IrStmt[],
  group: number[],
  W: number,
  cols: Map<string, number[]>,
  cBase: number,
  rz: (n: number, a: number, b: number, c: number) => Expr | null,
): void {
  // per output: moment key → the moment (null for the constant 1) and its [integer coefficient, W̃ local] list
  const outs = ['e', 'f0', 'f1', 'f2', 't0', 't1', 't2'].map(() => new Map<string, { r: Expr | null; list: Array<[number, string]> }>());
  const addTerm = (o: number, r: Expr | null, cf: number, q: string) => {
    if (cf === 0) return;
    const key = r === null ? '1' : (r as { name: string }).name;
    let e = outs[o]!.get(key);
    if (!e) {
      e = { r, list: [] };
      outs[o]!.set(key, e);
    }
    e.list.push([cf, q]);
  };
  for (const n of group) {
    for (let mi = 0; mi < W; mi++) body.push({ op: 'let', name: `g${n}_${mi}`, value: load('G', cBase + n * W + mi) });
    for (let mp = 0; mp < W; mp++) {
      const terms: Expr[] = [];
      for (let mi = 0; mi < W; mi++) terms.push(mul([local(`d${mi}_${mp}`), local(`g${n}_${mi}`)]));
      body.push({ op: 'let', name: `b${n}_${mp}`, value: add(terms) });
    }
    const nf = factorial(n);
    let k = 0;
    for (const [key, col] of cols) {
      const [a, b, c] = key.split(',').map(Number) as [number, number, number];
      const terms: Expr[] = [];
      for (let mp = 0; mp < W; mp++) if (col[mp] !== 0) terms.push(mul([constant(nf * col[mp]!), local(`b${n}_${mp}`)]));
      if (terms.length === 0) continue;
      const q = `q${n}_${k++}`;
      body.push({ op: 'let', name: q, value: add(terms) });
      addTerm(0, rz(n, a, b, c), 1, q);
      const e3 = [a, b, c];
      for (let d = 0; d < 3; d++) {
        const up = [...e3], dn = [...e3];
        up[d]!++;
        dn[d]!--;
        if (n >= 1) addTerm(1 + d, rz(n - 1, up[0]!, up[1]!, up[2]!), 2, q);
        if (e3[d]! > 0) addTerm(1 + d, rz(n, dn[0]!, dn[1]!, dn[2]!), e3[d]!, q);
      }
      if (b > 0) addTerm(4, rz(n, a, b - 1, c + 1), -b, q);
      if (c > 0) addTerm(4, rz(n, a, b + 1, c - 1), c, q);
      if (a > 0) addTerm(5, rz(n, a - 1, b, c + 1), a, q);
      if (c > 0) addTerm(5, rz(n, a + 1, b, c - 1), -c, q);
      if (a > 0) addTerm(6, rz(n, a - 1, b + 1, c), -a, q);
      if (b > 0) addTerm(6, rz(n, a + 1, b - 1, c), b, q);
    }
  }
  // Per output: moments with a single W̃ go into buckets by their integer coefficient (one
  // multiplication by the coefficient per bucket), the others as (Σ k·W̃)·R̃.
  outs.forEach((m, o) => {
    const buckets = new Map<number, Expr[]>();
    const push = (cf: number, term: Expr) => {
      let b = buckets.get(cf);
      if (!b) {
        b = [];
        buckets.set(cf, b);
      }
      b.push(term);
    };
    for (const { r, list } of m.values()) {
      if (list.length === 1) {
        const q = local(list[0]![1]);
        push(list[0]![0], r === null ? q : mul([q, r]));
        continue;
      }
      const inner = add(list.map(([cf, q], i) => {
        const mag = Math.abs(cf) === 1 ? local(q) : mul([constant(Math.abs(cf)), local(q)]);
        if (cf > 0) return mag;
        // a leading negative multiple is the product with a negative constant, later ones subtract
        return i === 0 && Math.abs(cf) !== 1 ? mul([constant(cf), local(q)]) : neg(mag);
      }));
      push(1, r === null ? inner : mul([inner, r]));
    }
    const parts: Expr[] = [];
    for (const [cf, terms] of buckets) {
      if (cf === 1) parts.push(...terms);
      else parts.push(cf === -1 ? neg(add(terms)) : mul([constant(cf), add(terms)]));
    }
    body.push({ op: 'store', array: 'out', index: o, value: add(parts), accumulate: true });
  });
}

/** Chunking knobs of the generator (defaults tuned on the benchmark; for experiments only). */
export interface CodegenOptions {
  /** Multiply–adds per moment chunk and pass-1 chunk. */
  chunkTerms?: number;
  /** Multiply–adds per pass-2 chunk. */
  gradChunkTerms?: number;
}

/** The pass-1 program of a plan and the slots it needs. */
export interface Pass1Programs {
  /** `(w, D, dOff, acc, aOff)`: moment stages, then per-l expansion stages. */
  readonly pairFeatures: KernelProgram;
  /** Slots it needs in `w`. */
  readonly slotCount: number;
}

/** The pass-2 programs of a plan and their slot bookkeeping. */
export interface Pass2Programs {
  /** `(w, D, dOff, G, gOff, out)`: the pass-2 moment stages, then per-l gradient stages. */
  readonly pairGradient: KernelProgram;
  /** The pass-2 moment stages alone `(w)` (for the dense-gradient path). */
  readonly gradMoments: KernelProgram;
  /** Slots they need in `w`. */
  readonly slotCount: number;
  /** Slot of each R̃ entry, key `n,a,b,c` (for the dense-gradient path). */
  readonly gradSlots: Map<string, number>;
}

/** Build the pass-1 IR program of `plan` (module doc). */
export function buildPass1Programs(plan: AniSoapPlan, options: CodegenOptions = {}): Pass1Programs {
  const lmax = plan.lmax;
  const chunk = options.chunkTerms ?? CHUNK_TERMS;
  const p1 = new MomentProgram();
  for (const [n, a, b, c] of neededEntries(plan, false)) p1.radialMoment(n, a, b, c);
  const p1Out = new Set<number>();
  for (const v of p1.rz.values()) if (v !== ONE) p1Out.add(v);
  const momentStagesP1 = momentStages(p1, p1Out, chunk, 'moments');
  const expandStages: KernelStage[] = [];
  for (let l = 0; l <= lmax; l++) {
    const W = 2 * l + 1, nl = plan.nPerL[l]!;
    const cols = harmonicColumns(plan, l);
    const dBase = plan.wignerOffsets[l]!, cBase = plan.cOff[l]!;
    for (const group of nGroups(nl, W * W + cols.size * 2, chunk)) {
      const body: IrStmt[] = [];
      const rzLocal = new Set<number>();
      const rz = (n: number, key: string): Expr => {
        const slot = p1.rz.get(`${n},${key}`)!;
        if (slot === ONE) return constant(1);
        if (!rzLocal.has(slot)) {
          rzLocal.add(slot);
          body.push({ op: 'let', name: `r${slot}`, value: load('w', slot) });
        }
        return local(`r${slot}`);
      };
      for (const n of group) {
        const nf = factorial(n);
        for (let mi = 0; mi < W; mi++) {
          const terms: Expr[] = [];
          for (const [key, col] of cols) {
            if (col[mi] !== 0) terms.push(mul([constant(nf * col[mi]!), rz(n, key)]));
          }
          body.push({ op: 'let', name: `u${n}_${mi}`, value: add(terms) });
        }
      }
      for (let mi = 0; mi < W; mi++) {
        for (let mp = 0; mp < W; mp++) body.push({ op: 'let', name: `d${mi}_${mp}`, value: load('D', dBase + mi * W + mp) });
        for (const n of group) {
          const terms: Expr[] = [];
          for (let mp = 0; mp < W; mp++) terms.push(mul([local(`d${mi}_${mp}`), local(`u${n}_${mp}`)]));
          body.push({ op: 'store', array: 'acc', index: cBase + n * W + mi, value: add(terms), accumulate: true });
        }
      }
      expandStages.push({ name: `expand-${expandStages.length}`, params: [W_ARRAY, D_ARRAY, ACC_ARRAY], body });
    }
  }
  return {
    pairFeatures: { name: 'anisoap/pair-features', params: [W_ARRAY, D_ARRAY, ACC_ARRAY], stages: [...momentStagesP1, ...expandStages] },
    slotCount: p1.slotCount,
  };
}

/** Build the pass-2 IR programs of `plan` (module doc). */
export function buildPass2Programs(plan: AniSoapPlan, options: CodegenOptions = {}): Pass2Programs {
  const lmax = plan.lmax;
  const chunk = options.chunkTerms ?? CHUNK_TERMS, gradChunk = options.gradChunkTerms ?? GRAD_CHUNK_TERMS;
  const p2 = new MomentProgram();
  for (const [n, a, b, c] of neededEntries(plan, true)) p2.radialMoment(n, a, b, c);
  const p2Out = new Set<number>();
  for (const v of p2.rz.values()) if (v !== ONE) p2Out.add(v);
  const momentStagesP2 = momentStages(p2, p2Out, chunk, 'grad-moments');
  const gradStages: KernelStage[] = [];
  for (let l = 0; l <= lmax; l++) {
    const W = 2 * l + 1, nl = plan.nPerL[l]!;
    const cols = harmonicColumns(plan, l);
    const dBase = plan.wignerOffsets[l]!, cBase = plan.cOff[l]!;
    for (const group of nGroups(nl, W * W + cols.size * 16, gradChunk)) {
      const body: IrStmt[] = [];
      const rzLocal = new Set<number>();
      const rz = (n: number, a: number, b: number, c: number): Expr | null => {
        const slot = p2.rz.get(rzKey(n, a, b, c));
        if (slot === undefined) throw new AnisoError('E_ARG', `codegen: missing moment ${rzKey(n, a, b, c)}`);
        if (slot === ONE) return null;
        if (!rzLocal.has(slot)) {
          rzLocal.add(slot);
          body.push({ op: 'let', name: `r${slot}`, value: load('w', slot) });
        }
        return local(`r${slot}`);
      };
      wignerLoads(body, W, dBase);
      gradStageBody(body, group, W, cols, cBase, rz);
      gradStages.push({ name: `grad-${gradStages.length}`, params: [W_ARRAY, D_ARRAY, G_ARRAY, OUT_ARRAY], body });
    }
  }
  return {
    pairGradient: { name: 'anisoap/pair-gradient', params: [W_ARRAY, D_ARRAY, G_ARRAY, OUT_ARRAY], stages: [...momentStagesP2, ...gradStages] },
    gradMoments: { name: 'anisoap/grad-moments', params: [W_ARRAY], stages: momentStagesP2 },
    slotCount: p2.slotCount,
    gradSlots: p2.rz,
  };
}

/** Build all IR programs of `plan` (both passes; for inspection and tests). */
export function buildAniSoapPrograms(plan: AniSoapPlan, options: CodegenOptions = {}): AniSoapKernelPrograms {
  const p1 = buildPass1Programs(plan, options), p2 = buildPass2Programs(plan, options);
  return {
    pairFeatures: p1.pairFeatures,
    pairGradient: p2.pairGradient,
    gradMoments: p2.gradMoments,
    slotCount: Math.max(p1.slotCount, p2.slotCount),
    gradSlots: p2.gradSlots,
  };
}

/** JavaScript text of the stages of `plan`'s programs (the `'cpu-f64'` emitter's output). */
export function generateAniSoapSources(plan: AniSoapPlan, options: CodegenOptions = {}): AniSoapKernelSources {
  const p = buildAniSoapPrograms(plan, options);
  const text = (stages: readonly KernelStage[]) => stages.map(emitJsStage);
  const nMoments = p.gradMoments.stages.length;
  const p1Moments = p.pairFeatures.stages.filter((s) => s.name.startsWith('moments-'));
  return {
    momentChunks: text(p1Moments),
    expandChunks: text(p.pairFeatures.stages.slice(p1Moments.length)),
    gradMomentChunks: text(p.gradMoments.stages),
    gradChunks: text(p.pairGradient.stages.slice(nMoments)),
    slotCount: p.slotCount,
    gradSlots: p.gradSlots,
  };
}

/**
 * The kernel programs of one plan for one kernel backend, each pass built on first use (a
 * features-only computation never builds pass 2). Callers bind the programs to their arrays
 * with `backend.bind`.
 */
export class AniSoapKernelSet {
  /** The backend the programs are bound with. */
  readonly backend: KernelBackend;
  private p1: Pass1Programs | null = null;
  private p2: Pass2Programs | null = null;

  constructor(private readonly plan: AniSoapPlan, backend: KernelBackend, private readonly options: CodegenOptions) {
    this.backend = backend;
  }

  /** Pass 1 (built on first use). */
  get pass1(): Pass1Programs {
    this.p1 ??= buildPass1Programs(this.plan, this.options);
    return this.p1;
  }

  /** Pass 2 (built on first use). */
  get pass2(): Pass2Programs {
    this.p2 ??= buildPass2Programs(this.plan, this.options);
    return this.p2;
  }
}

const kernelSets = new Map<string, AniSoapKernelSet>();

/**
 * The kernel programs of `plan` for the backend `options.backend` (default `'cpu-f64'`), shared
 * within a thread per hyper-parameter set and backend (so programs, and the backend's compiled
 * code attached to them, are built once).
 * @throws AnisoError `E_CONFIG` for an unknown or unavailable backend.
 */
export function aniSoapKernelSet(plan: AniSoapPlan, options: CodegenOptions & { backend?: string } = {}): AniSoapKernelSet {
  const { backend: name = CPU_F64, ...chunking } = options;
  const key = JSON.stringify({ l: plan.lmax, n: Array.from(plan.nPerL), o: chunking, b: name });
  let set = kernelSets.get(key);
  if (!set) {
    set = new AniSoapKernelSet(plan, kernelBackend(name), chunking);
    kernelSets.set(key, set);
  }
  return set;
}
