// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP feature calculator (arXiv:2403.19039; the AniSOAP package, main@6b28869, ANISOAP.md):
 * ν = 1 density expansion of ellipsoidal Gaussians and its ν = 2 power spectrum per particle, with
 * exact analytic gradients (forces, lab torques, virial) of linear models and dense feature
 * gradients for training.
 *
 * Inputs: a {@link ParticleSystem} with `orientations` (unit quaternions (w, x, y, z), body → lab;
 * q and −q are the same rotation) and `semiaxes` (Gaussian standard deviations along body x, y, z,
 * i.e. **half** the package's `c_diameter`), `types` (index into `hypers.species`; all 0 if
 * absent), any cell (periodic, triclinic, cutoff larger than half the cell, or open).
 *
 * Outputs (index orders in `plan.ts`): features in the data-independent native layout
 * (ANISOAP.md §15), ν = 1 coefficients via {@link AniSoapCalculator.expansion}, and the package's
 * own value order / per-frame mean via `package-layout.ts`.
 *
 * Structure: the calculator is a {@link DensityExpansion} ({@link AniSoapCalculator.densityExpansion}:
 * featomic-labelled blocks over the engine's native coefficient layout, `density-layout.ts`, and
 * `backward(∂E/∂c)` → forces, torques, virial) plus the {@link PowerSpectrum} contraction
 * ({@link AniSoapCalculator.contraction}); `linearForces` is the generic path of
 * `linear-forces.ts` (contraction adjoint, then the expansion's backward pass).
 *
 * Threads: with `threads > 1` the pair loops run on a pool of worker threads (created on first
 * use, reused, closed by {@link AniSoapCalculator.close}, never keeping the process alive); results
 * are bitwise identical to the single-thread path. Systems with fewer than `parallelMinPairs`
 * pairs run on the calling thread. Kernel backend ({@link AniSoapCalculator.backend}): by default
 * `'wasm-f64'` (WebAssembly, fast from the first pair) where the runtime has it, else
 * `'cpu-f64'` (JavaScript, the reference); both give bitwise the same numbers. No GPU path yet.
 */
import os from 'node:os';
import { AnisoError } from '../../core/errors.js';
import type { ForceResult, ParticleSystem } from '../../core/system.js';
import type { FeatureCalculator, FeatureMetadata, FeatureSumGradients } from '../feature-calculator.js';
import type { DensityCoefficients, DensityExpansion, DensityGradients } from '../density-expansion.js';
import type { PowerSpectrum } from '../contractions/power-spectrum.js';
import { LinearContractionForces } from '../linear-forces.js';
import { FullNeighborListBuilder, type FullNeighborList, type ListAllocator } from '../common/full-neighbor-list.js';
import { PAIR_OUT_STRIDE, reducePairGradients, type AniSoapBuffers } from './engine.js';
import { aniSoapDensityMetadata } from './density-layout.js';
import { anisoapWorkerUrl, runAniSoapJob, threadFor, type AniSoapJob, type AniSoapOp, type AniSoapThread, type AniSoapWorkerInit } from './jobs.js';
import { SyncWorkerPool } from '../../parallel/sync-worker-pool.js';
import { chooseKernelBackend, CPU_PREFERENCE, kernelBackend } from '../../kernels/backend.js';
import { resolveAniSoapHypers, type AniSoapHypers, type ResolvedAniSoapHypers } from './hypers.js';
import { PARTICLE_STRIDE, type AniSoapPlan } from './plan.js';

/** Chunks per thread of the dynamic scheduling of a parallel computation. */
const CHUNKS_PER_THREAD = 8;

/** Runtime options (they never change the numbers). */
export interface AniSoapOptions {
  /** Computing threads including the caller: a number ≥ 1, or `'auto'` (available cores). Default 1. */
  threads?: number | 'auto';
  /** Below this many directed pairs a computation stays on the calling thread. Default 4096. */
  parallelMinPairs?: number;
  /**
   * Kernel backend of the pair loops (`kernels/backend.ts`): `'wasm-f64'` or `'cpu-f64'`; the
   * numbers are bitwise the same. Default: the first available of `CPU_PREFERENCE` (wasm first).
   */
  backend?: string;
  /**
   * Start the worker threads in the constructor (with `threads > 1`) instead of at the first
   * parallel computation, so that their start-up and kernel compilation overlap the caller's own
   * work (reading files, the neighbour list). Default false. Workers are still used only from
   * `parallelMinPairs` pairs.
   */
  startWorkers?: boolean;
}

/** Growable typed arrays, in SharedArrayBuffers when `shared`. */
class Arrays implements ListAllocator {
  constructor(private readonly shared: boolean) {}
  float64(length: number): Float64Array {
    return this.shared ? new Float64Array(new SharedArrayBuffer(8 * Math.max(1, length))) : new Float64Array(Math.max(1, length));
  }
  int32(length: number): Int32Array {
    return this.shared ? new Int32Array(new SharedArrayBuffer(4 * Math.max(1, length))) : new Int32Array(Math.max(1, length));
  }
  grow64(a: Float64Array, length: number): Float64Array {
    return a.length >= length ? a : this.float64(Math.max(length, Math.ceil(1.25 * a.length)));
  }
  grow32(a: Int32Array, length: number): Int32Array {
    return a.length >= length ? a : this.int32(Math.max(length, Math.ceil(1.25 * a.length)));
  }
}

/** AniSOAP {@link FeatureCalculator} (module doc). Not re-entrant; one instance per thread of use. */
export class AniSoapCalculator implements FeatureCalculator {
  /** Name, species, feature count, labels, cutoff, smoothness. */
  readonly metadata: FeatureMetadata;
  /** The validated hyper-parameters. */
  readonly hypers: ResolvedAniSoapHypers;
  /** Tables and layouts. */
  readonly plan: AniSoapPlan;
  /** Computing threads (including the caller). */
  readonly threads: number;
  /** Name of the kernel backend that runs the pair loops, e.g. `'cpu-f64'`. */
  readonly backend: string;
  /** The ν = 1 expansion (blocks over the native coefficient layout) and its backward pass. */
  readonly densityExpansion: DensityExpansion;
  /** The power spectrum that turns the coefficients into {@link AniSoapCalculator.values}. */
  readonly contraction: PowerSpectrum;
  private readonly key: string;
  private readonly thread: AniSoapThread;
  private readonly linear: LinearContractionForces;
  /** Threads of the last computation (its backward pass uses as many). */
  private lastThreads = 1;
  /** Shared chunk counter of the dynamic scheduling (`jobs.ts`), created with the first pool. */
  private cursor: Int32Array | null = null;
  private computed = false;
  private readonly arrays: Arrays;
  private readonly lists: FullNeighborListBuilder;
  private readonly minPairs: number;
  private pool: SyncWorkerPool | null = null;
  private starts = 0;
  private readonly buf: AniSoapBuffers;

  /**
   * @param hypers - see {@link AniSoapHypers}.
   * @param options - threads (see {@link AniSoapOptions}).
   * @throws AnisoError `E_CONFIG` for invalid hypers or options.
   */
  constructor(hypers: AniSoapHypers, options: AniSoapOptions = {}) {
    this.hypers = resolveAniSoapHypers(hypers);
    this.key = JSON.stringify(this.hypers);
    this.backend = (options.backend === undefined ? chooseKernelBackend(CPU_PREFERENCE) : kernelBackend(options.backend)).name;
    this.thread = threadFor(this.key, this.hypers, this.backend);
    // One plan per thread and hyper-parameter set: the engine's (built once, cached by threadFor).
    this.plan = this.thread.engine.plan;
    this.contraction = this.thread.powerSpectrum;
    const t = options.threads ?? 1;
    const threads = t === 'auto' ? Math.max(1, os.availableParallelism()) : t;
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new AnisoError('E_CONFIG', `anisoap: threads = ${String(t)} must be an integer in 1…256 or 'auto'`);
    }
    this.threads = threads;
    const mp = options.parallelMinPairs ?? 4096;
    if (!(mp >= 0)) throw new AnisoError('E_CONFIG', `anisoap: parallelMinPairs = ${mp} must be ≥ 0`);
    this.minPairs = mp;
    this.arrays = new Arrays(threads > 1);
    this.lists = new FullNeighborListBuilder(this.arrays);
    const a = this.arrays;
    this.buf = {
      n: 0,
      quaternions: a.float64(0), semiaxes: a.float64(0), types: a.int32(0),
      particles: a.float64(0), wigner: a.float64(0),
      offsets: a.int32(1), neighbors: a.int32(0), vectors: a.float64(0),
      coef: a.float64(0), features: a.float64(0), adjoint: a.float64(0), pairOut: a.float64(0),
    };
    this.densityExpansion = {
      metadata: aniSoapDensityMetadata(this.plan),
      compute: (system) => this.coefficients(system),
      backward: (adjoint, out) => this.backward(adjoint, out),
    };
    this.linear = new LinearContractionForces(this.densityExpansion, this.contraction);
    if (options.startWorkers === true && threads > 1) this.startPool();
    this.metadata = {
      name: 'anisoap',
      species: [...this.hypers.species],
      featureCount: this.plan.featureCount,
      labels: this.plan.labels,
      cutoff: this.hypers.cutoff,
      smooth: this.hypers.mode === 'md',
    };
  }

  /** Per-particle features, n × F (native layout, `plan.ts`), into `out` if given. */
  values(system: ParticleSystem, out?: Float64Array): Float64Array {
    this.compute(system, 'features');
    const nF = system.n * this.plan.featureCount;
    const res = out ?? new Float64Array(nF);
    if (res.length < nF) throw new AnisoError('E_SIZE', `values: out has length ${res.length}, needs n·F = ${nF}`);
    res.set(this.buf.features.subarray(0, nF));
    return res;
  }

  /**
   * Orthonormal ν = 1 coefficients, n × S × nc: `[(i·S + a)·nc + cOff[l] + n(2l+1) + m + l]`
   * (channel a = species index of the neighbours; `plan.ts`).
   */
  expansion(system: ParticleSystem): Float64Array {
    this.compute(system, 'expand');
    return Float64Array.from(this.buf.coef.subarray(0, system.n * this.plan.nSpecies * this.plan.nc));
  }

  /** Dense sums and gradients (single-threaded pass over centres; for training-set sizes). */
  sumGradients(system: ParticleSystem): FeatureSumGradients {
    this.compute(system, 'features');
    const d = this.thread.engine.denseGradients(this.buf, this.plan.nSpecies, this.contraction);
    return { values: d.values, sums: d.sums, dPos: d.dPos, dRot: d.dRot, dStrain: d.dStrain };
  }

  /**
   * Energy `E = Σ_i w[type(i)] · p_i`, forces (3n), lab torques (3n) and virial (9) for the weights
   * `weights` (T × F, T = species count), without dense gradients (ANISOAP.md §10), through the
   * generic path {@link LinearContractionForces}: power-spectrum adjoint, then
   * `densityExpansion.backward`.
   */
  linearForces(system: ParticleSystem, weights: Float64Array): ForceResult {
    return this.linear.compute(system, weights);
  }

  /** {@link DensityExpansion.compute}: the coefficients of `system` as views into the shared buffers. */
  private coefficients(system: ParticleSystem): DensityCoefficients {
    this.compute(system, 'expand');
    const buf = this.buf;
    buf.adjoint = this.arrays.grow64(buf.adjoint, system.n * this.plan.nSpecies * this.plan.nc);
    return { n: system.n, values: buf.coef, types: buf.types, adjoint: buf.adjoint };
  }

  /** {@link DensityExpansion.backward} for the system of the last computation. */
  private backward(adjoint: Float64Array, out?: DensityGradients): DensityGradients {
    if (!this.computed) throw new AnisoError('E_ARG', 'anisoap: backward() needs a computation first (densityExpansion.compute, values, …)');
    const buf = this.buf, n = buf.n, R = this.plan.nSpecies * this.plan.nc;
    if (adjoint.length < n * R) throw new AnisoError('E_SIZE', `anisoap backward: adjoint has length ${adjoint.length}, needs n·recordLength = ${n}·${R} = ${n * R}`);
    if (adjoint !== buf.adjoint) {
      buf.adjoint = this.arrays.grow64(buf.adjoint, n * R);
      buf.adjoint.set(adjoint.subarray(0, n * R));
    }
    buf.pairOut = this.arrays.grow64(buf.pairOut, PAIR_OUT_STRIDE * buf.offsets[n]!);
    this.runSplit('backward', this.lastThreads);
    const res = out ?? { forces: new Float64Array(3 * n), torques: new Float64Array(3 * n), virial: new Float64Array(9) };
    if (res.forces.length < 3 * n || res.torques === null || res.torques.length < 3 * n || res.virial.length < 9) {
      throw new AnisoError('E_SIZE', `anisoap backward: out needs forces and torques of length ≥ 3n = ${3 * n} and a virial of 9`);
    }
    res.forces.fill(0, 0, 3 * n);
    res.torques.fill(0, 0, 3 * n);
    res.virial.fill(0, 0, 9);
    reducePairGradients(buf, res.forces, res.torques, res.virial);
    return res;
  }

  /**
   * Which neighbour species occur around which centre type in `system` (the package's channel
   * sets, ANISOAP.md §5): `out[t·S + e] = 1` if some pair (including self pairs when the centre
   * contribution is kept) has a centre of type t and a neighbour of type e. ORs into `out`.
   */
  channelPresence(system: ParticleSystem, out: Uint8Array): Uint8Array {
    const S = this.plan.nSpecies;
    this.validate(system);
    const types = system.types;
    const list = this.lists.build(system.cell, system.positions, this.hypers.cutoff, !this.hypers.subtractCenterContribution);
    for (let i = 0; i < system.n; i++) {
      const ti = types ? types[i]! : 0;
      for (let p = list.offsets[i]!; p < list.offsets[i + 1]!; p++) out[ti * S + (types ? types[list.neighbors[p]!]! : 0)] = 1;
    }
    return out;
  }

  /** Pairs per centre of `system` (n), e.g. to find centres without any neighbour. */
  pairCounts(system: ParticleSystem): Int32Array {
    this.validate(system);
    const list = this.lists.build(system.cell, system.positions, this.hypers.cutoff, !this.hypers.subtractCenterContribution);
    const out = new Int32Array(system.n);
    for (let i = 0; i < system.n; i++) out[i] = list.offsets[i + 1]! - list.offsets[i]!;
    return out;
  }

  /** Number of directed pairs of the last computation. */
  get lastPairCount(): number {
    return this.buf.offsets[this.buf.n] ?? 0;
  }

  /** True while a worker pool is running. */
  get hasWorkers(): boolean {
    return this.pool !== null && !this.pool.isClosed;
  }

  /** How many worker pools this calculator has started (one, unless closed and used again). */
  get poolStarts(): number {
    return this.starts;
  }

  /** Terminate the worker threads, if any (idempotent; a later parallel call starts a new pool). */
  close(): void {
    this.pool?.close();
    this.pool = null;
  }

  private validate(system: ParticleSystem): void {
    const n = system.n, S = this.plan.nSpecies;
    if (!Number.isInteger(n) || n < 0) throw new AnisoError('E_SIZE', `anisoap: system.n = ${n} is not a particle count`);
    if (system.positions.length !== 3 * n) throw new AnisoError('E_SIZE', `anisoap: positions have length ${system.positions.length}, expected 3n = ${3 * n}`);
    const q = system.orientations, s = system.semiaxes;
    if (!q || !s) {
      throw new AnisoError('E_ARG', `anisoap: the system needs orientations (4n quaternions) and semiaxes (3n) — AniSOAP describes ellipsoids, not point particles`);
    }
    if (q.length !== 4 * n) throw new AnisoError('E_SIZE', `anisoap: orientations have length ${q.length}, expected 4n = ${4 * n}`);
    if (s.length !== 3 * n) throw new AnisoError('E_SIZE', `anisoap: semiaxes have length ${s.length}, expected 3n = ${3 * n}`);
    for (let i = 0; i < n; i++) {
      const qn = Math.hypot(q[4 * i]!, q[4 * i + 1]!, q[4 * i + 2]!, q[4 * i + 3]!);
      if (!(qn > 0) || !Number.isFinite(qn)) throw new AnisoError('E_ARG', `anisoap: quaternion of particle ${i} has norm ${qn}; it must be finite and non-zero`);
      for (let k = 0; k < 3; k++) {
        const v = s[3 * i + k]!;
        if (!(v > 0) || !Number.isFinite(v)) throw new AnisoError('E_ARG', `anisoap: semiaxes[${i}][${k}] = ${v}; semi-axes must be finite lengths > 0`);
      }
    }
    const t = system.types;
    if (t) {
      if (t.length !== n) throw new AnisoError('E_SIZE', `anisoap: types have length ${t.length}, expected n = ${n}`);
      for (let i = 0; i < n; i++) {
        if (!(t[i]! >= 0 && t[i]! < S)) {
          throw new AnisoError('E_ARG', `anisoap: particle ${i} has type ${t[i]}; allowed types are 0…${S - 1} (species ${this.hypers.species.join(', ')})`);
        }
      }
    }
  }

  /** Prepare buffers and neighbours, then run `op` over all centres (possibly on workers). */
  private compute(system: ParticleSystem, op: AniSoapOp): void {
    this.validate(system);
    const n = system.n, plan = this.plan, a = this.arrays, buf = this.buf;
    buf.n = n;
    buf.quaternions = a.grow64(buf.quaternions, 4 * n);
    buf.quaternions.set(system.orientations!);
    buf.semiaxes = a.grow64(buf.semiaxes, 3 * n);
    buf.semiaxes.set(system.semiaxes!);
    buf.types = a.grow32(buf.types, n);
    if (system.types) buf.types.set(system.types);
    else buf.types.fill(0, 0, n);
    buf.particles = a.grow64(buf.particles, PARTICLE_STRIDE * n);
    buf.wigner = a.grow64(buf.wigner, plan.wignerSize * n);
    this.computed = false;
    // With a running pool, a worker prepares the particles while this thread searches neighbours.
    const pool = this.pool !== null && !this.pool.isClosed ? this.pool : null;
    let list!: FullNeighborList;
    const search = () => {
      list = this.lists.build(system.cell, system.positions, this.hypers.cutoff, !this.hypers.subtractCenterContribution);
    };
    if (pool !== null) pool.run([this.job('prepare', [0, n])], search);
    else search();
    buf.offsets = list.offsets;
    buf.neighbors = list.neighbors;
    buf.vectors = list.vectors;
    const P = list.count;
    buf.coef = a.grow64(buf.coef, n * plan.nSpecies * plan.nc);
    buf.features = a.grow64(buf.features, n * plan.featureCount);
    const T = this.threads > 1 && P >= this.minPairs ? Math.min(this.threads, Math.max(1, n)) : 1;
    if (pool === null) this.runSplit('prepare', T);
    this.lastThreads = T;
    this.runSplit(op, T);
    this.computed = true;
  }

  /**
   * Run `op` over all `buf.n` indices on `T` threads: on this thread alone for T = 1, else on
   * this thread and T − 1 workers claiming chunks of about 1/(8T) of the indices each (`jobs.ts`).
   */
  private runSplit(op: AniSoapOp, T: number): void {
    const n = this.buf.n;
    if (T <= 1) {
      runAniSoapJob(this.thread, this.job(op, [0, n]));
      return;
    }
    const pool = this.startPool();
    const cursor = (this.cursor ??= new Int32Array(new SharedArrayBuffer(4)));
    cursor[0] = 0;
    const chunk = Math.max(1, Math.ceil(n / (CHUNKS_PER_THREAD * T)));
    const job = { ...this.job(op, [0, n]), cursor, chunk };
    pool.run(Array.from({ length: T - 1 }, () => job), () => runAniSoapJob(this.thread, job));
  }

  /** Start the worker pool unless it runs; the workers build this calculator's engine at start. */
  private startPool(): SyncWorkerPool {
    if (this.pool === null || this.pool.isClosed) {
      const init: AniSoapWorkerInit = { key: this.key, hypers: this.hypers, backend: this.backend };
      this.pool = new SyncWorkerPool(anisoapWorkerUrl(), this.threads - 1, init);
      this.starts++;
    }
    return this.pool;
  }

  private job(op: AniSoapOp, range: [number, number]): AniSoapJob {
    return { op, hypers: this.hypers, key: this.key, backend: this.backend, buffers: this.buf, range };
  }
}
