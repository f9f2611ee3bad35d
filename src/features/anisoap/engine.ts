// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP compute engine of one thread: per-particle preparation, the pair loops of pass 1
 * (ν = 1 coefficients per centre) and pass 2 (per-pair gradients of a scalar E(c) given its adjoint
 * `G = ∂E/∂c` per centre, the backward pass of the density expansion), the sequential reduction of
 * pair gradients to forces, torques and virial, and the dense gradients for training (through a
 * {@link Contraction}'s tangent). Features are not computed here: they are a contraction
 * (`contractions/power-spectrum.ts`) of the coefficients. The same code runs on the main thread and in worker threads; all
 * arrays live in an {@link AniSoapBuffers} record (SharedArrayBuffer-backed when workers are used),
 * and every output element is written by exactly one thread, so results do not depend on the
 * number of threads (bitwise).
 *
 * Pair conventions (ANISOAP.md §3, §10): a directed pair (centre i, neighbour j, image S) has
 * `a = r_j + S − r_i`; its lab-frame primitive coefficients are `f = S_sw(|a|) · D(R_j) u(R_jᵀ a)`
 * (`u` the body-frame coefficients, which carry `pref`; `S_sw ≡ 1` in package mode). For pass 2
 * the pair stores `g = ∂e/∂a` and `h = ∂e/∂θ_j` of its share `e = G_i · f` of E, with
 * `G_i = ∂E/∂c_i` (orthonormal basis; transposed to the primitive basis per centre).
 *
 * Orientation derivative: rotating j about its centre, `R_j → Q R_j` with `Q = exp(θ[e]×)`, gives
 * `f → D(Q) D(R_j) u(R_jᵀ Qᵀ a)`, so `∂f/∂θ_e = L_e f − (e × a)·∇_a f` (L_e the generators of
 * the real-harmonic representation). With `D(R) L_k D(R)ᵀ = Σ_e R_ek L_e` the first term is
 * evaluated in the body frame, `G·L_e f = S_sw Σ_k R_ek (D(R_j)ᵀ G)·(L_k u)`, hence
 *
 * ```
 * h = ∂e/∂θ_j = S_sw Σ_k R_ek (G_b · L_k u) − a × g
 * F_i += g,  F_j −= g,  τ_j −= h,  W[3a+b] −= g_a a_b      (W = −∂E/∂ε, a → (1+ε) a)
 * ```
 *
 * The self pair (a = 0) and self images move with i: their force terms cancel, their torque acts
 * on i. The switch contributes `S_sw'(r) â (G·D u)` to g and nothing to the rotation term.
 *
 * Kernels: the pair kernels are IR programs (`codegen.ts`) bound to this engine's arrays by a
 * kernel backend (`kernels/backend.ts`): `'wasm-f64'` (two pairs per call, lane 1 of a lone last
 * pair going to a spare accumulator) or `'cpu-f64'` (one pair per call), bitwise the same. The
 * arrays the kernels read (slots, a copy of the Wigner blocks, the centre accumulator, the
 * adjoint, the pass-2 outputs) come from the backend's `allocate`. No GPU path (gpu.js / WebGPU) yet.
 */
import { quatToMatrix } from '../../core/quaternion.js';
import { CutoffSwitch } from '../../core/cutoff-switch.js';
import { AniSoapPlan, PARTICLE_STRIDE } from './plan.js';
import { RealWignerD } from '../common/wigner.js';
import { aniSoapKernelSet, FIRST_FREE_SLOT, SCALE_SLOT, type AniSoapKernelSet } from './codegen.js';
import type { Contraction } from '../contraction.js';
import { CPU_F64, type BoundKernel, type KernelBackend } from '../../kernels/backend.js';

/** Values per pair in {@link AniSoapBuffers.pairOut}: `g` (3) then `h = ∂e/∂θ_j` (3). */
export const PAIR_OUT_STRIDE = 6;

/**
 * Arrays shared by the threads of one computation (index orders in the comments). Lengths may
 * exceed what `n` and the pair count need.
 */
export interface AniSoapBuffers {
  /** Number of particles n. */
  n: number;
  /** Unit quaternions (w, x, y, z), body → lab, 4n. */
  quaternions: Float64Array;
  /** Semi-axes, 3n. */
  semiaxes: Float64Array;
  /** Species channel of each particle (its type index), n. */
  types: Int32Array;
  /** Per particle: R (9, row-major), α (3), v (3), pref0 (1); {@link PARTICLE_STRIDE} per particle. */
  particles: Float64Array;
  /** Per particle: Wigner-D blocks, `plan.wignerSize` per particle. */
  wigner: Float64Array;
  /** Pairs of centre i: `offsets[i] … offsets[i+1]` (n + 1). */
  offsets: Int32Array;
  /** Neighbour of each pair. */
  neighbors: Int32Array;
  /** `a = r_j + S − r_i`, 3 per pair. */
  vectors: Float64Array;
  /** Orthonormal ν = 1 coefficients, `n · S · nc` (plan layout). */
  coef: Float64Array;
  /** Features, `n · F` (written by the calculator's contraction, read by the dense path). */
  features: Float64Array;
  /** Adjoint `∂E/∂coef`, same layout as `coef` (pass 2 input). */
  adjoint: Float64Array;
  /** Pair gradients, {@link PAIR_OUT_STRIDE} per pair (pass 2 only). */
  pairOut: Float64Array;
}

/** Dense sums and gradients (see `FeatureSumGradients`). */
export interface DenseGradients {
  values: Float64Array;
  sums: Float64Array;
  dPos: Float64Array;
  dRot: Float64Array;
  dStrain: Float64Array;
}

/** Per-thread engine (scratch space; not re-entrant). */
export class AniSoapEngine {
  /** The plan. */
  readonly plan: AniSoapPlan;
  /** Its kernel programs (each pass built on first use). */
  readonly kernels: AniSoapKernelSet;
  private readonly wignerD: RealWignerD;
  private readonly sw: CutoffSwitch | null;
  /** Kernel backend of {@link AniSoapEngine.kernels}: every array the kernels see comes from its `allocate`. */
  private readonly backend: KernelBackend;
  /** Kernel slots (μ, v, scale, then the moments); grown when pass 2 needs more. */
  private w: Float64Array;
  private readonly out7: Float64Array;
  /** Pairs per kernel call in the pair loops: 2 where the backend has two-lane kernels, else 1. */
  private readonly lanes: 1 | 2;
  /** Slots of two pairs, interleaved (`2k + lane`; only with two lanes). */
  private w2: Float64Array;
  /** The 7 pass-2 outputs of two pairs, interleaved. */
  private readonly out14: Float64Array;
  /**
   * One centre's primitive coefficients while its pairs accumulate (`S · nc`); with two lanes
   * followed by a second block that takes lane 1 of a lone last pair (never read).
   */
  private readonly accBlock: Float64Array;
  /** The first `S · nc` of {@link accBlock}. */
  private readonly accCentre: Float64Array;
  /** The kernels' copy of `buf.wigner` (`n · wignerSize`, grown geometrically). */
  private dCopy: Float64Array;
  /** `a' = R_jᵀ a` of the last prologue of each lane (`3·lane + k`). */
  private readonly body = new Float64Array(6);
  private readonly tmp: Float64Array;
  private readonly adjPrim: Float64Array;

  /**
   * @param plan - tables and layouts.
   * @param backend - kernel backend name (`kernels/backend.ts`), default `'cpu-f64'`.
   */
  constructor(plan: AniSoapPlan, backend: string = CPU_F64) {
    this.plan = plan;
    this.kernels = aniSoapKernelSet(plan, { backend });
    this.backend = this.kernels.backend;
    this.wignerD = new RealWignerD(plan.lmax);
    const h = plan.hypers;
    this.sw = h.mode === 'md' ? new CutoffSwitch(h.cutoff, h.switchWidth!) : null;
    const alloc = (length: number) => this.backend.allocate(length);
    this.w = alloc(Math.max(this.kernels.pass1.slotCount, FIRST_FREE_SLOT));
    this.out7 = alloc(7);
    this.lanes = this.backend.lanes >= 2 ? 2 : 1;
    this.w2 = alloc(this.lanes === 2 ? 2 * this.w.length : 0);
    this.out14 = alloc(this.lanes === 2 ? 14 : 0);
    this.accBlock = alloc(this.lanes * plan.nSpecies * plan.nc);
    this.accCentre = this.accBlock.subarray(0, plan.nSpecies * plan.nc);
    this.dCopy = alloc(0);
    let maxBlock = 0;
    for (let l = 0; l <= plan.lmax; l++) maxBlock = Math.max(maxBlock, plan.nPerL[l]! * (2 * l + 1));
    this.tmp = new Float64Array(maxBlock);
    this.adjPrim = alloc(plan.nSpecies * plan.nc);
  }

  /**
   * The Wigner-D blocks of all `buf.n` particles in kernel memory (copied from `buf.wigner`, which
   * every thread has finished writing before a pair pass starts).
   */
  private wignerForKernels(buf: AniSoapBuffers): Float64Array {
    const len = buf.n * this.plan.wignerSize;
    if (this.dCopy.length < len) this.dCopy = this.backend.allocate(Math.max(len, Math.ceil(1.5 * this.dCopy.length)));
    this.dCopy.set(buf.wigner.subarray(0, len));
    return this.dCopy;
  }

  private bound1: BoundKernel | null = null;
  private bound1x2: BoundKernel | null = null;
  private bound2: BoundKernel | null = null;
  private bound2x2: BoundKernel | null = null;
  private boundMoments: BoundKernel | null = null;
  /** The arrays the bound kernels were bound to (all rebound when one is replaced). */
  private boundTo: { w: Float64Array; D: Float64Array } | null = null;

  /** Make the slot arrays large enough for pass 2 (the bindings follow through {@link checkBindings}). */
  private pass2Slots(): void {
    const need = Math.max(this.kernels.pass2.slotCount, FIRST_FREE_SLOT);
    if (this.w.length >= need) return;
    this.w = this.backend.allocate(need);
    if (this.lanes === 2) this.w2 = this.backend.allocate(2 * need);
  }

  /** Drop the bindings unless they are to the current slot arrays and `D`. */
  private checkBindings(D: Float64Array): void {
    if (this.boundTo !== null && this.boundTo.w === this.w && this.boundTo.D === D) return;
    this.bound1 = this.bound1x2 = this.bound2 = this.bound2x2 = this.boundMoments = null;
    this.boundTo = { w: this.w, D };
  }

  /** Pass 1 `(dOff, aOff)` bound to `w`, `D`, the centre accumulator. */
  private pairFeatures(D: Float64Array): BoundKernel {
    this.checkBindings(D);
    this.bound1 ??= this.backend.bind(this.kernels.pass1.pairFeatures, { w: this.w, D, acc: this.accBlock });
    return this.bound1;
  }

  /** Pass 1 for two pairs `(dOff₀, dOff₁, aOff₀, aOff₁)` (slots in `w2`), or null without lanes. */
  private pairFeatures2(D: Float64Array): BoundKernel | null {
    if (this.lanes !== 2) return null;
    this.checkBindings(D);
    this.bound1x2 ??= this.backend.bind(this.kernels.pass1.pairFeatures, { w: this.w2, D, acc: this.accBlock }, { lanes: 2, interleaved: ['w'] });
    return this.bound1x2;
  }

  /** Pass 2 `(dOff, gOff)` bound to `w`, `D`, the primitive adjoint and the 7 outputs. */
  private pairGradient(D: Float64Array): BoundKernel {
    this.pass2Slots();
    this.checkBindings(D);
    this.bound2 ??= this.backend.bind(this.kernels.pass2.pairGradient, { w: this.w, D, G: this.adjPrim, out: this.out7 });
    return this.bound2;
  }

  /** Pass 2 for two pairs `(dOff₀, dOff₁, gOff₀, gOff₁)` (slots in `w2`, outputs interleaved in `out14`), or null. */
  private pairGradient2(D: Float64Array): BoundKernel | null {
    if (this.lanes !== 2) return null;
    this.pass2Slots();
    this.checkBindings(D);
    this.bound2x2 ??= this.backend.bind(this.kernels.pass2.pairGradient, { w: this.w2, D, G: this.adjPrim, out: this.out14 }, { lanes: 2, interleaved: ['w', 'out'] });
    return this.bound2x2;
  }

  /** The pass-2 moments `()` bound to `w`. */
  private gradMoments(): BoundKernel {
    this.pass2Slots();
    this.checkBindings(this.boundTo?.D ?? this.dCopy);
    this.boundMoments ??= this.backend.bind(this.kernels.pass2.gradMoments, { w: this.w });
    return this.boundMoments;
  }

  /** Build and compile the pass-1 kernels now (otherwise done by the first pass-1 call). */
  prepareKernels(): void {
    if (this.pairFeatures2(this.dCopy) === null) this.pairFeatures(this.dCopy);
  }

  /** Rotation matrices, Gaussian parameters and Wigner-D blocks of particles `i0 … i1−1`. */
  prepareParticles(buf: AniSoapBuffers, i0: number, i1: number): void {
    const P = PARTICLE_STRIDE, part = buf.particles, sa = buf.semiaxes, is2 = this.plan.invSigma2;
    const dsz = this.plan.wignerSize;
    for (let i = i0; i < i1; i++) {
      const o = P * i;
      quatToMatrix(part, o, buf.quaternions, 4 * i);
      let pref0 = 1;
      for (let k = 0; k < 3; k++) {
        const s2 = sa[3 * i + k]! ** 2;
        const ratio = s2 * is2;
        const alpha = 1 / (1 + ratio);
        part[o + 9 + k] = alpha;
        part[o + 12 + k] = s2 * alpha;
        pref0 /= Math.sqrt(1 + ratio);
      }
      part[o + 15] = pref0;
      this.wignerD.compute(part, o, buf.wigner, dsz * i);
    }
  }

  /**
   * Pair prologue: body-frame mean and variances into the slots of `lane` of `w` (element k at
   * `stride·k + lane`: the scalar slots with stride 1, the interleaved ones with stride 2),
   * returns `pref` (without switch) and leaves `a' = R_jᵀ a` in `this.body[3·lane …]`.
   */
  private prologue(buf: AniSoapBuffers, p: number, j: number, w: Float64Array, stride: number, lane: number): number {
    const part = buf.particles, vec = buf.vectors, o = PARTICLE_STRIDE * j;
    const ax = vec[3 * p]!, ay = vec[3 * p + 1]!, az = vec[3 * p + 2]!;
    const bx = part[o]! * ax + part[o + 3]! * ay + part[o + 6]! * az;
    const by = part[o + 1]! * ax + part[o + 4]! * ay + part[o + 7]! * az;
    const bz = part[o + 2]! * ax + part[o + 5]! * ay + part[o + 8]! * az;
    const mx = part[o + 9]! * bx, my = part[o + 10]! * by, mz = part[o + 11]! * bz;
    w[lane] = mx; w[stride + lane] = my; w[2 * stride + lane] = mz;
    w[3 * stride + lane] = part[o + 12]!; w[4 * stride + lane] = part[o + 13]!; w[5 * stride + lane] = part[o + 14]!;
    const b = 3 * lane;
    this.body[b] = bx; this.body[b + 1] = by; this.body[b + 2] = bz;
    const is2 = this.plan.invSigma2;
    return is2 === 0 ? part[o + 15]! : part[o + 15]! * Math.exp(-0.5 * is2 * (mx * bx + my * by + mz * bz));
  }

  /**
   * Pass 1 for centres `c0 … c1−1`: coefficients (orthonormal) into `buf.coef`. Needs
   * {@link AniSoapEngine.prepareParticles} for every particle first.
   */
  expandCentres(buf: AniSoapBuffers, c0: number, c1: number): void {
    const plan = this.plan, nc = plan.nc, S = plan.nSpecies, stride = S * nc;
    const coef = buf.coef, off = buf.offsets, nb = buf.neighbors, vec = buf.vectors, types = buf.types;
    if (c1 <= c0) return;
    const wig = this.wignerForKernels(buf), dsz = plan.wignerSize, sw = this.sw, acc = this.accBlock;
    const kernel2 = this.pairFeatures2(wig);
    const kernel = kernel2 === null ? this.pairFeatures(wig) : null, w = this.w, w2 = this.w2;
    const spare = stride; // lane 1 of a lone last pair accumulates there
    for (let i = c0; i < c1; i++) {
      const base = i * stride;
      acc.fill(0);
      let p = off[i]!;
      const pe = off[i + 1]!;
      if (kernel2 !== null) {
        // two pairs per call (bitwise the same as one by one); a lone last pair takes lane 0
        // and leaves lane 1 (the previous pair's slots) to the spare block
        for (; p < pe; p += 2) {
          const two = p + 1 < pe;
          const j0 = nb[p]!, j1 = two ? nb[p + 1]! : j0;
          let s0 = this.prologue(buf, p, j0, w2, 2, 0);
          let s1 = two ? this.prologue(buf, p + 1, j1, w2, 2, 1) : 0;
          if (sw !== null) {
            s0 *= sw.value(Math.hypot(vec[3 * p]!, vec[3 * p + 1]!, vec[3 * p + 2]!));
            if (two) s1 *= sw.value(Math.hypot(vec[3 * p + 3]!, vec[3 * p + 4]!, vec[3 * p + 5]!));
          }
          w2[2 * SCALE_SLOT] = s0;
          w2[2 * SCALE_SLOT + 1] = s1;
          kernel2(dsz * j0, dsz * j1, types[j0]! * nc, two ? types[j1]! * nc : spare);
        }
      } else {
        for (; p < pe; p++) {
          const j = nb[p]!;
          let scale = this.prologue(buf, p, j, w, 1, 0);
          if (sw !== null) scale *= sw.value(Math.hypot(vec[3 * p]!, vec[3 * p + 1]!, vec[3 * p + 2]!));
          w[SCALE_SLOT] = scale;
          kernel!(dsz * j, types[j]! * nc);
        }
      }
      coef.set(this.accCentre, base);
      for (let a = 0; a < S; a++) this.orthonormalize(coef, base + a * nc, false);
    }
  }

  /**
   * Apply the radial transform `T_l` (orthonormalisation) to one channel block at `o` in place:
   * `c[n][m] = Σ_n' T_l[n][n'] c[n'][m]`, or its transpose (`transpose`, for adjoints).
   */
  orthonormalize(c: Float64Array, o: number, transpose: boolean): void {
    const plan = this.plan, T = plan.radial.transform, tmp = this.tmp;
    for (let l = 0; l <= plan.lmax; l++) {
      const nl = plan.nPerL[l]!, W = 2 * l + 1, to = plan.radial.transformOffsets[l]!, co = o + plan.cOff[l]!;
      for (let n = 0; n < nl; n++) {
        for (let m = 0; m < W; m++) {
          let s = 0;
          for (let q = 0; q < nl; q++) s += (transpose ? T[to + q * nl + n]! : T[to + n * nl + q]!) * c[co + q * W + m]!;
          tmp[n * W + m] = s;
        }
      }
      for (let k = 0; k < nl * W; k++) c[co + k] = tmp[k]!;
    }
  }

  /**
   * Pass 2 for centres `c0 … c1−1` (after pass 1 for all particles): per pair, `g` and `h` into
   * `buf.pairOut` for the adjoint `buf.adjoint` (`∂E/∂coef`, layout of `coef`).
   */
  backwardCentres(buf: AniSoapBuffers, c0: number, c1: number): void {
    const plan = this.plan, nc = plan.nc, S = plan.nSpecies, stride = S * nc;
    const off = buf.offsets, nb = buf.neighbors, types = buf.types;
    if (c1 <= c0) return;
    const wig = this.wignerForKernels(buf), dsz = plan.wignerSize;
    const kernel2 = this.pairGradient2(wig);
    const kernel = kernel2 === null ? this.pairGradient(wig) : null, w = this.w, w2 = this.w2;
    const o7 = this.out7, o14 = this.out14, Gp = this.adjPrim;
    for (let i = c0; i < c1; i++) {
      Gp.set(buf.adjoint.subarray(i * stride, (i + 1) * stride));
      for (let a = 0; a < S; a++) this.orthonormalize(Gp, a * nc, true);
      let p = off[i]!;
      const pe = off[i + 1]!;
      if (kernel2 !== null) {
        // two pairs per call (bitwise the same as one by one); a lone last pair's lane 1 is ignored
        for (; p < pe; p += 2) {
          const two = p + 1 < pe;
          const j0 = nb[p]!, j1 = two ? nb[p + 1]! : j0;
          // The kernel's outputs carry pref (through the moments); the switch multiplies in storePairGradient.
          w2[2 * SCALE_SLOT] = this.prologue(buf, p, j0, w2, 2, 0);
          if (two) w2[2 * SCALE_SLOT + 1] = this.prologue(buf, p + 1, j1, w2, 2, 1);
          o14.fill(0);
          kernel2(dsz * j0, dsz * j1, types[j0]! * nc, types[j1]! * nc);
          this.storePairGradient(buf, p, j0, o14, 2, 0);
          if (two) this.storePairGradient(buf, p + 1, j1, o14, 2, 1);
        }
      } else {
        for (; p < pe; p++) {
          const j = nb[p]!;
          w[SCALE_SLOT] = this.prologue(buf, p, j, w, 1, 0);
          o7.fill(0);
          kernel!(dsz * j, types[j]! * nc);
          this.storePairGradient(buf, p, j, o7, 1, 0);
        }
      }
    }
  }

  /**
   * Pair p's `g` and `h` (module doc) into `buf.pairOut` from the pass-2 outputs of `lane` of `o`
   * (output k at `stride·k + lane`) and that lane's body-frame vector; applies the switch.
   */
  private storePairGradient(buf: AniSoapBuffers, p: number, j: number, o: Float64Array, stride: number, lane: number): void {
    const vec = buf.vectors, part = buf.particles, out = buf.pairOut, body = this.body, is2 = this.plan.invSigma2, sw = this.sw;
    const ax = vec[3 * p]!, ay = vec[3 * p + 1]!, az = vec[3 * p + 2]!;
    let s = 1, dsr = 0;
    if (sw !== null) {
      const r = Math.hypot(ax, ay, az);
      s = sw.value(r);
      if (r > 0) dsr = sw.derivative(r) / r;
    }
    const e = o[lane]!, b = 3 * lane;
    const po = PARTICLE_STRIDE * j;
    const d0 = s * part[po + 9]! * (o[stride + lane]! - is2 * body[b]! * e);
    const d1 = s * part[po + 10]! * (o[2 * stride + lane]! - is2 * body[b + 1]! * e);
    const d2 = s * part[po + 11]! * (o[3 * stride + lane]! - is2 * body[b + 2]! * e);
    const sr = dsr * e;
    const gx = part[po]! * d0 + part[po + 1]! * d1 + part[po + 2]! * d2 + sr * ax;
    const gy = part[po + 3]! * d0 + part[po + 4]! * d1 + part[po + 5]! * d2 + sr * ay;
    const gz = part[po + 6]! * d0 + part[po + 7]! * d1 + part[po + 8]! * d2 + sr * az;
    const t0 = s * o[4 * stride + lane]!, t1 = s * o[5 * stride + lane]!, t2 = s * o[6 * stride + lane]!;
    const tx = part[po]! * t0 + part[po + 1]! * t1 + part[po + 2]! * t2;
    const ty = part[po + 3]! * t0 + part[po + 4]! * t1 + part[po + 5]! * t2;
    const tz = part[po + 6]! * t0 + part[po + 7]! * t1 + part[po + 8]! * t2;
    const q = PAIR_OUT_STRIDE * p;
    out[q] = gx; out[q + 1] = gy; out[q + 2] = gz;
    out[q + 3] = tx - (ay * gz - az * gy);
    out[q + 4] = ty - (az * gx - ax * gz);
    out[q + 5] = tz - (ax * gy - ay * gx);
  }

  /**
   * Dense per-type sums and their gradients of the features `contraction` makes of the
   * coefficients (single thread; cost grows as n² · F for the position and rotation blocks).
   * Needs prepared particles, pairs, pass-1 coefficients and the features in `buf.features`.
   */
  denseGradients(buf: AniSoapBuffers, nTypes: number, contraction: Contraction): DenseGradients {
    const plan = this.plan, n = buf.n, nc = plan.nc, S = plan.nSpecies, stride = S * nc, F = contraction.featureCount;
    const lmax = plan.lmax, W2 = plan.wignerSize;
    const values = Float64Array.from(buf.features.subarray(0, n * F));
    const sums = new Float64Array(nTypes * F);
    const dPos = new Float64Array(nTypes * n * 3 * F);
    const dRot = new Float64Array(nTypes * n * 3 * F);
    const dStrain = new Float64Array(nTypes * 9 * F);
    for (let i = 0; i < n; i++) {
      const t = buf.types[i]!;
      for (let f = 0; f < F; f++) sums[t * F + f]! += values[i * F + f]!;
    }
    const tables = this.denseTables();
    const slotOf = new Int32Array(n).fill(-1);
    const members: number[] = [];
    // per slot: 6 derivative vectors (∂/∂r_x,y,z, ∂/∂θ_x,y,z) of S·nc, primitive basis
    let dc = new Float64Array(0);
    const dStr = new Float64Array(9 * stride);
    const u = new Float64Array(4 * nc), fl = new Float64Array(4 * nc), dfa = new Float64Array(3 * nc);
    const off = buf.offsets, nb = buf.neighbors, vec = buf.vectors, part = buf.particles;
    const moments = this.gradMoments(), w = this.w;
    const sw = this.sw, is2 = plan.invSigma2, gens = [plan.generators.x, plan.generators.y, plan.generators.z];
    const dp = new Float64Array(F);
    for (let i = 0; i < n; i++) {
      members.length = 0;
      const addMember = (k: number) => {
        if (slotOf[k]! < 0) {
          slotOf[k] = members.length;
          members.push(k);
        }
        return slotOf[k]!;
      };
      addMember(i);
      for (let p = off[i]!; p < off[i + 1]!; p++) addMember(nb[p]!);
      if (dc.length < members.length * 6 * stride) dc = new Float64Array(members.length * 6 * stride);
      dc.fill(0, 0, members.length * 6 * stride);
      dStr.fill(0);
      const si = slotOf[i]!;
      for (let p = off[i]!; p < off[i + 1]!; p++) {
        const j = nb[p]!, sj = slotOf[j]!, ch = buf.types[j]! * nc;
        const pref = this.prologue(buf, p, j, w, 1, 0);
        const ax = vec[3 * p]!, ay = vec[3 * p + 1]!, az = vec[3 * p + 2]!, av = [ax, ay, az];
        let s = 1, dsr = 0;
        if (sw !== null) {
          const r = Math.hypot(ax, ay, az);
          s = sw.value(r);
          if (r > 0) dsr = sw.derivative(r) / r;
        }
        w[SCALE_SLOT] = pref;
        moments();
        // body: u (block 0) and ∂u/∂μ_k (blocks 1..3), times pref (through the moments)
        for (let b = 0; b < 4; b++) {
          const tb = tables[b]!;
          for (let k = 0; k < nc; k++) {
            let acc = 0;
            for (let e = tb.start[k]!; e < tb.start[k + 1]!; e++) {
              const sl = tb.slot[e]!;
              acc += tb.coef[e]! * (sl < 0 ? 1 : w[sl]!);
            }
            u[b * nc + k] = acc;
          }
        }
        // lab: D u per block
        const dOff = W2 * j;
        for (let b = 0; b < 4; b++) {
          for (let l = 0; l <= lmax; l++) {
            const W = 2 * l + 1, nl = plan.nPerL[l]!, co = plan.cOff[l]!, dO = dOff + plan.wignerOffsets[l]!;
            for (let nn = 0; nn < nl; nn++) {
              for (let m = 0; m < W; m++) {
                let acc = 0;
                for (let mp = 0; mp < W; mp++) acc += buf.wigner[dO + m * W + mp]! * u[b * nc + co + nn * W + mp]!;
                fl[b * nc + co + nn * W + m] = acc;
              }
            }
          }
        }
        const po = PARTICLE_STRIDE * j;
        for (let e = 0; e < 3; e++) {
          for (let k = 0; k < nc; k++) {
            let acc = 0;
            for (let kk = 0; kk < 3; kk++) {
              acc += part[po + 3 * e + kk]! * part[po + 9 + kk]! * (fl[(1 + kk) * nc + k]! - is2 * this.body[kk]! * fl[k]!);
            }
            dfa[e * nc + k] = s * acc + dsr * av[e]! * fl[k]!;
          }
        }
        const base = ch;
        for (let e = 0; e < 3; e++) {
          const ej = (sj * 6 + e) * stride + base, ei = (si * 6 + e) * stride + base;
          for (let k = 0; k < nc; k++) {
            dc[ej + k]! += dfa[e * nc + k]!;
            dc[ei + k]! -= dfa[e * nc + k]!;
          }
          for (let b = 0; b < 3; b++) {
            const o = (3 * e + b) * stride + base;
            for (let k = 0; k < nc; k++) dStr[o + k]! += dfa[e * nc + k]! * av[b]!;
          }
        }
        // ∂f/∂θ_e = S · L_e f̃ − (a × ∂f/∂a)_e   (f̃ = D u includes pref)
        for (let e = 0; e < 3; e++) {
          const g = gens[e]!, b1 = (e + 1) % 3, b2 = (e + 2) % 3;
          const o = (sj * 6 + 3 + e) * stride + base;
          for (let l = 0; l <= lmax; l++) {
            const W = 2 * l + 1, nl = plan.nPerL[l]!, co = plan.cOff[l]!, go = plan.wignerOffsets[l]!;
            for (let nn = 0; nn < nl; nn++) {
              for (let m = 0; m < W; m++) {
                let acc = 0;
                for (let mp = 0; mp < W; mp++) acc += g[go + m * W + mp]! * fl[co + nn * W + mp]!;
                const k = co + nn * W + m;
                dc[o + k]! += s * acc - (av[b1]! * dfa[b2 * nc + k]! - av[b2]! * dfa[b1 * nc + k]!);
              }
            }
          }
        }
      }
      // orthonormalise every derivative vector, then contract with c_i into the feature gradients
      const t = buf.types[i]!, cb = i * stride;
      for (let v = 0; v < members.length * 6; v++) for (let a = 0; a < S; a++) this.orthonormalize(dc, v * stride + a * nc, false);
      for (let v = 0; v < 9; v++) for (let a = 0; a < S; a++) this.orthonormalize(dStr, v * stride + a * nc, false);
      for (let sl = 0; sl < members.length; sl++) {
        const k = members[sl]!;
        for (let d = 0; d < 6; d++) {
          contraction.tangent(buf.coef, cb, t, dc, (sl * 6 + d) * stride, dp, 0);
          const target = d < 3 ? dPos : dRot;
          const o = ((t * n + k) * 3 + (d % 3)) * F;
          for (let f = 0; f < F; f++) target[o + f]! += dp[f]!;
        }
      }
      for (let v = 0; v < 9; v++) {
        contraction.tangent(buf.coef, cb, t, dStr, v * stride, dp, 0);
        const o = (t * 9 + v) * F;
        for (let f = 0; f < F; f++) dStrain[o + f]! += dp[f]!;
      }
      for (const k of members) slotOf[k] = -1;
    }
    return { values, sums, dPos, dRot, dStrain };
  }

  private tablesCache: Array<{ start: Int32Array; slot: Int32Array; coef: Float64Array }> | null = null;

  /**
   * Sparse maps from the pass-2 moment slots to the body-frame primitive coefficients `u`
   * (table 0) and to `∂u/∂μ_k` (tables 1–3), each entry of the nc outputs a list of (slot, coef).
   */
  private denseTables(): Array<{ start: Int32Array; slot: Int32Array; coef: Float64Array }> {
    if (this.tablesCache) return this.tablesCache;
    const plan = this.plan, nc = plan.nc, slots = this.kernels.pass2.gradSlots;
    const slot = (n: number, a: number, b: number, c: number) => {
      const s = slots.get(`${n},${a},${b},${c}`);
      if (s === undefined) throw new Error(`dense tables: missing moment ${n},${a},${b},${c}`);
      return s;
    };
    const tables: Array<{ start: Int32Array; slot: Int32Array; coef: Float64Array }> = [];
    for (let b = 0; b < 4; b++) {
      const start = new Int32Array(nc + 1);
      const sl: number[] = [], cf: number[] = [];
      for (let l = 0; l <= plan.lmax; l++) {
        const W = 2 * l + 1;
        for (let n = 0; n < plan.nPerL[l]!; n++) {
          let nf = 1;
          for (let k = 2; k <= n; k++) nf *= k;
          for (let mi = 0; mi < W; mi++) {
            const t = plan.harmonics.terms[l]![mi]!;
            for (let q = 0; q < t.coef.length; q++) {
              const a = t.a[q]!, bb = t.b[q]!, c = t.c[q]!, v = nf * t.coef[q]!;
              if (b === 0) {
                sl.push(slot(n, a, bb, c)); cf.push(v);
              } else {
                const e = [a, bb, c], d = b - 1;
                if (n >= 1) {
                  const up = [...e]; up[d]!++;
                  sl.push(slot(n - 1, up[0]!, up[1]!, up[2]!)); cf.push(2 * v);
                }
                if (e[d]! > 0) {
                  const dn = [...e]; dn[d]!--;
                  sl.push(slot(n, dn[0]!, dn[1]!, dn[2]!)); cf.push(e[d]! * v);
                }
              }
            }
            start[plan.cOff[l]! + n * W + mi + 1] = sl.length;
          }
        }
      }
      tables.push({ start, slot: Int32Array.from(sl), coef: Float64Array.from(cf) });
    }
    this.tablesCache = tables;
    return tables;
  }
}

/**
 * Sequential reduction of the pair gradients of pass 2 into forces (3n), lab torques (3n) and the
 * virial (9), in pair order (deterministic, independent of the thread count).
 */
export function reducePairGradients(buf: AniSoapBuffers, forces: Float64Array, torques: Float64Array, virial: Float64Array): void {
  const n = buf.n, off = buf.offsets, nb = buf.neighbors, vec = buf.vectors, g = buf.pairOut;
  let w00 = 0, w01 = 0, w02 = 0, w10 = 0, w11 = 0, w12 = 0, w20 = 0, w21 = 0, w22 = 0;
  for (let i = 0; i < n; i++) {
    let fx = 0, fy = 0, fz = 0;
    for (let p = off[i]!, pe = off[i + 1]!; p < pe; p++) {
      const j = nb[p]!, q = PAIR_OUT_STRIDE * p;
      const gx = g[q]!, gy = g[q + 1]!, gz = g[q + 2]!;
      fx += gx; fy += gy; fz += gz;
      forces[3 * j]! -= gx; forces[3 * j + 1]! -= gy; forces[3 * j + 2]! -= gz;
      torques[3 * j]! -= g[q + 3]!; torques[3 * j + 1]! -= g[q + 4]!; torques[3 * j + 2]! -= g[q + 5]!;
      const ax = vec[3 * p]!, ay = vec[3 * p + 1]!, az = vec[3 * p + 2]!;
      w00 -= gx * ax; w01 -= gx * ay; w02 -= gx * az;
      w10 -= gy * ax; w11 -= gy * ay; w12 -= gy * az;
      w20 -= gz * ax; w21 -= gz * ay; w22 -= gz * az;
    }
    forces[3 * i]! += fx; forces[3 * i + 1]! += fy; forces[3 * i + 2]! += fz;
  }
  virial[0] += w00; virial[1] += w01; virial[2] += w02;
  virial[3] += w10; virial[4] += w11; virial[5] += w12;
  virial[6] += w20; virial[7] += w21; virial[8] += w22;
}

/** Re-export for the worker entry and the calculator. */
export { AniSoapPlan };
