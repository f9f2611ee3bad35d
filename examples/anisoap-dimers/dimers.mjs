// SPDX-License-Identifier: BSD-3-Clause
// The pieces of the AniSOAP authors' Gay–Berne dimer benchmark (issue 9, item 4), shared by
// run.mjs (every number of README.md) and test/examples/anisoap-dimers.test.ts (a reduced run).
//
// Data: data/reference/anisoap/gay_berne_dimers/random_rotations.xyz of this repository, an
// unmodified copy of the AniSOAP repository's benchmarks/two_particle_gb/random_rotations.xyz
// (github.com/cersonsky-lab/AniSOAP, commit 6b288697ffd01a96f2b46c8afcfd3a05ab2c398c, Apache-2.0;
// see README.md). 1000 frames of two particles 'X'; lengths in the generator's σ0 = 1, energies in
// its ε = 1 (reduced units throughout; nothing is converted).
//
// Orientation convention: every system built here carries the CONJUGATE of the stored quaternion,
// read as (w, x, y, z) body → lab (docs/CONVENTIONS.md §2): the generator's lab tensors are
// AᵀS²A with A = R(q), which is R(q̄) S² R(q̄)ᵀ, so the stored energies belong to q̄.
import { readFileSync } from 'node:fs';
import { readFramesSync } from '../../dist/src/io/read-frames.js';
import { PairCalculator } from '../../dist/src/features/pair/calculator.js';
import { GayBerne } from '../../dist/src/potentials/gay-berne.js';
import { shuffledIndices, trainLinearModel } from '../../dist/src/models/train.js';
import { quatToMatrix } from '../../dist/src/core/quaternion.js';
import { det3, invert3 } from '../../dist/src/core/mat3.js';

/** Path of the data file in the repository. */
export const DATA_PATH = new URL('../../data/reference/anisoap/gay_berne_dimers/random_rotations.xyz', import.meta.url).pathname;

/** The authors' split of their 2274 dimers: 1570 train / 316 validation / 388 test. */
export const AUTHORS_SPLIT = Object.freeze({ train: 1570, validation: 316, test: 388 });

/**
 * Gay–Berne of the generator's particles in anisodrive's form (docs/CONVENTIONS.md §4): γ = υ = μ = 1,
 * ε = σ = 1 (σ the width of the LJ-like term, the generator's `sigma0 = min semi-axis = 1`),
 * relative wells (ε_a, ε_b, ε_c) = (0.5, 2, 0.5). The generator's own energies differ from this
 * potential: it puts the unnormalised separation r12 (not r̂) into σ12 and χ12 (README.md §1).
 */
export const GB_PARAMETERS = Object.freeze({ gamma: 1, upsilon: 1, mu: 1, epsilon: 1, sigma: 1, wells: Object.freeze([0.5, 2, 0.5]) });

/**
 * The two shapes (semi-axes along body x, y, z; length) the relabelling is done with:
 * `gb121` the generator's S0 = diag(1, 2, 1) taken as semi-axes (as its G12 = Σ AᵀS²A does);
 * `gb05` the file's `c_diameter` values (1, 2, 1) read as diameters, semi-axes (0.5, 1, 0.5), the
 * reading of anisodrive's extxyz reader and of AniSOAP.
 */
export const GB_SHAPES = Object.freeze({ gb121: Object.freeze([1, 2, 1]), gb05: Object.freeze([0.5, 1, 0.5]) });

/** The generator's rule for keeping a dimer: energy below 0.1 ε. Applied to the relabelled energies. */
export const GENERATOR_ENERGY_LIMIT = 0.1;

/** Pair-feature settings shared by every fit: centre cutoff 3.5 σ0, switch over [3.3, 3.5] (every pair is closer than 3.3). */
export const PAIR_BASE = Object.freeze({ species: [0], cutoff: 3.5, switchWidth: 0.2 });

/** Relative λ grid of every fit: 10⁻¹⁰ … 1, two values per decade. */
export const LAMBDAS = Object.freeze(Array.from({ length: 21 }, (_, k) => 10 ** (-10 + k / 2)));

/** The conjugate of every quaternion in a flat (w, x, y, z) array (a new array). */
export function conjugateQuaternions(q) {
  const out = Float64Array.from(q);
  for (let i = 0; i < out.length; i += 4) {
    out[i + 1] = -out[i + 1];
    out[i + 2] = -out[i + 2];
    out[i + 3] = -out[i + 3];
  }
  return out;
}

/**
 * The 1000 dimers: `{ system, energy, r }` per frame, `system` a ParticleSystem (n = 2, open cell,
 * orientations conjugated unless `quaternions: 'as-stored'`), `energy` the stored energy (ε),
 * `r` the centre distance (σ0).
 */
export function loadDimers({ path = DATA_PATH, quaternions = 'conjugate' } = {}) {
  const text = readFileSync(path, 'utf8');
  const frames = [...readFramesSync({ text, source: path }, { format: 'extxyz', requireOrientations: true })];
  return frames.map((f) => {
    const p = f.positions;
    const orientations = quaternions === 'as-stored' ? Float64Array.from(f.orientations) : conjugateQuaternions(f.orientations);
    return {
      system: { n: f.n, positions: Float64Array.from(p), cell: f.cell, orientations },
      energy: f.energy,
      r: Math.hypot(p[3] - p[0], p[4] - p[1], p[5] - p[2]),
    };
  });
}

/**
 * A seeded random split of `n` frames in the authors' proportions (1570 : 316 : 388 of 2274):
 * `{ train, validation, test }`, index arrays; the test and validation counts are rounded, the
 * rest is training (1000 frames → 690 / 139 / 171).
 */
export function authorsSplit(n, seed) {
  const total = AUTHORS_SPLIT.train + AUTHORS_SPLIT.validation + AUTHORS_SPLIT.test;
  const nTest = Math.round((n * AUTHORS_SPLIT.test) / total);
  const nVal = Math.round((n * AUTHORS_SPLIT.validation) / total);
  const order = shuffledIndices(n, seed);
  return { test: order.slice(0, nTest), validation: order.slice(nTest, nTest + nVal), train: order.slice(nTest + nVal) };
}

/** The same split restricted to the frames for which `keep(index)` holds. */
export function restrictSplit(split, keep) {
  return { train: split.train.filter(keep), validation: split.validation.filter(keep), test: split.test.filter(keep) };
}

/** Labelled systems of the stored energies (energy only). */
export function storedLabels(dimers) {
  return dimers.map((d) => ({ system: d.system, labels: { energy: d.energy } }));
}

/**
 * Relabel every dimer with anisodrive's Gay–Berne ({@link GB_PARAMETERS}) of semi-axes `semiaxes`
 * (length, body x, y, z): energy (ε), forces (ε/σ0) and lab-frame torques (ε). Smooth cutoff:
 * switched to zero over [3.5, 4] σ0, beyond every pair of the file (r ≤ 3.3), so nothing is lost.
 */
export function gayBerneLabels(dimers, semiaxes) {
  const gb = new GayBerne({ ...GB_PARAMETERS, wells: [...GB_PARAMETERS.wells], semiaxes: [...semiaxes], cutoff: 4, truncation: 'switch', switchWidth: 0.5 });
  const axes = new Float64Array([...semiaxes, ...semiaxes]);
  return dimers.map((d) => {
    const r = gb.compute({ ...d.system, semiaxes: axes });
    return { system: d.system, labels: { energy: r.energy, forces: Float64Array.from(r.forces), torques: Float64Array.from(r.torques) } };
  });
}

/**
 * The stored energy as the generator defines it (README.md §1), for checking the quaternion reading:
 * with lab tensors `G = Σ_k R_k S² R_kᵀ`, `B = Σ_k R_k E R_kᵀ` (`R_k` = R(q_k) of the system's
 * orientations, S = diag(1, 2, 1), E = diag(ε_k^(−1/μ)) = diag(2, 0.5, 2)) and the UNNORMALISED
 * separation `d = r_2 − r_1`: `σ' = (½ dᵀG⁻¹d)^(−1/2)`, `h' = |d| − σ'`, `ρ = 1/(h' + 1)`,
 * `U = 4(ρ¹² − ρ⁶) · (2 s²/det G)^(1/2) · 2 dᵀB⁻¹d`, `s = (ab + c²)√(ab)` (ε). Anisodrive's
 * Gay–Berne is the same expression with `r̂ = d/|d|` in σ and χ.
 */
export function generatorEnergy(system) {
  const S2 = [1, 4, 1], E = GB_PARAMETERS.wells.map((e) => 1 / e), s = (1 * 2 + 1) * Math.sqrt(2);
  const R = new Float64Array(9), G = new Float64Array(9), B = new Float64Array(9);
  for (let k = 0; k < 2; k++) {
    quatToMatrix(R, 0, system.orientations, 4 * k);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        for (let m = 0; m < 3; m++) {
          G[3 * a + b] += R[3 * a + m] * S2[m] * R[3 * b + m];
          B[3 * a + b] += R[3 * a + m] * E[m] * R[3 * b + m];
        }
      }
    }
  }
  const p = system.positions, d = [p[3] - p[0], p[4] - p[1], p[5] - p[2]];
  const quad = (M) => d.reduce((acc, da, a) => acc + da * (M[3 * a] * d[0] + M[3 * a + 1] * d[1] + M[3 * a + 2] * d[2]), 0);
  const sigma = (0.5 * quad(invert3(new Float64Array(9), G))) ** -0.5;
  const rho = 1 / (Math.hypot(...d) - sigma + 1);
  return 4 * (rho ** 12 - rho ** 6) * Math.sqrt((2 * s * s) / det3(G)) * 2 * quad(invert3(new Float64Array(9), B));
}

/** Coefficient of determination 1 − Σ(t − p)² / Σ(t − t̄)² of predictions `p` for targets `t`. */
export function rSquared(t, p) {
  let mean = 0;
  for (const v of t) mean += v;
  mean /= t.length;
  let tot = 0, res = 0;
  for (let k = 0; k < t.length; k++) {
    tot += (t[k] - mean) ** 2;
    res += (t[k] - p[k]) ** 2;
  }
  return 1 - res / tot;
}

/**
 * Fit a linear model on pair features (`hypers` over {@link PAIR_BASE}) to `labelled[trainIdx]`
 * with `trainLinearModel` (λ by 5-fold CV on those frames over {@link LAMBDAS}, column scaling)
 * and score it on `labelled[evalIdx]`. `weights` are the residual weights per quantity
 * (`{ energy: 1 }` = energy only). Returns `{ r2: { energy, forces, torques }, rmse, lambda,
 * features, result }`: R² and RMSE over the evaluation frames (energies per particle, every
 * force and torque component), for every labelled quantity, fitted or not.
 */
export function fitPair(labelled, trainIdx, evalIdx, hypers, weights) {
  const calc = new PairCalculator({ ...PAIR_BASE, ...hypers });
  const frames = [...trainIdx, ...evalIdx].map((k) => labelled[k]);
  const testFrames = evalIdx.map((_, i) => trainIdx.length + i);
  const result = trainLinearModel(frames, calc, {
    weights,
    testFrames,
    cvFolds: 5,
    lambdas: LAMBDAS,
    learningCurve: [1],
    parityLimit: 1e9,
    seed: 7,
  });
  const r2 = {}, rmse = {};
  for (const q of ['energy', 'forces', 'torques']) {
    const p = result.parity[q];
    if (!p) continue;
    r2[q] = rSquared(p.reference, p.predicted);
    rmse[q] = result.test[q].rmse;
  }
  return { r2, rmse, lambda: result.lambda.relative, features: calc.metadata.featureCount, result };
}

/**
 * Final fit of `hypers`: train on train + validation (λ by 5-fold CV there), score once on the
 * test share. `cvLoss` is the smallest weighted CV loss over the λ grid (per validation row), the
 * number the trainer chooses λ by.
 */
export function finalFit(labelled, split, hypers, weights) {
  const fit = fitPair(labelled, [...split.train, ...split.validation], split.test, hypers, weights);
  return { ...fit, cvLoss: Math.min(...fit.result.cv.map((p) => p.loss)) };
}

/**
 * Choose hyper-parameters by cross-validation on train + validation: every entry of `grid` is
 * fitted with {@link finalFit}; the one with the smallest `cvLoss` is chosen (the test share plays
 * no part in the choice). Returns `{ best, rows }`: `best` the chosen entry's fit with its
 * `hypers`, rows in grid order `{ hypers, cvLoss, lambda, features, testR2 }` (`testR2` reported
 * only, to show how much the choice matters).
 */
export function chooseByCrossValidation(labelled, split, grid, weights, onRow = () => {}) {
  const rows = [];
  let best = null;
  for (const hypers of grid) {
    const fit = finalFit(labelled, split, hypers, weights);
    const row = { hypers, cvLoss: fit.cvLoss, lambda: fit.lambda, features: fit.features, testR2: fit.r2 };
    rows.push(row);
    onRow(row);
    if (best === null || fit.cvLoss < best.cvLoss) best = { ...fit, hypers };
  }
  return { best, rows };
}
