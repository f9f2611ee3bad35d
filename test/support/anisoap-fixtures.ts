// SPDX-License-Identifier: BSD-3-Clause
/**
 * AniSOAP test fixtures: the golden files of `data/reference/anisoap/golden` (inputs and package
 * outputs, see their README) as {@link ParticleSystem}s and hypers, and small random ellipsoid
 * systems.
 */
import { readFileSync } from 'node:fs';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import type { AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { column, readExtxyz } from './extxyz-lite.js';
import { randomQuaternion } from './random.js';
import { referencePath } from './reference-data.js';

/** Directory of the golden files. */
export const GOLDEN_DIR = referencePath('anisoap/golden/');

/** The five golden cases. */
export const GOLDEN_CASES = ['gb_random_rotations_5', 'benzene_cg_3', 'box2sp_gto_noself', 'box2sp_monomial', 'triclinic30'] as const;

const ATOMIC_NUMBER: Record<string, number> = { X: 0, H: 1, C: 6, N: 7, O: 8 };

/** Parsed golden JSON (the fields used by the tests). */
export interface GoldenJson {
  package_hypers: Record<string, unknown>;
  species_atomic_numbers: number[];
  frames: Array<{
    species: string[];
    positions: number[][];
    cell: number[][] | null;
    pbc: [boolean, boolean, boolean];
    quaternion_wxyz: number[][];
    semiaxes: number[][];
  }>;
  package_power_spectrum_per_particle: number[][][];
  package_power_spectrum_frame_mean: number[] | number[][];
  package_nu1_per_particle: Array<Array<Record<string, number[][]>>>;
  native_feature_labels: number[][];
  native_power_spectrum_per_particle: number[][][];
  native_nu1_per_particle: number[][][][];
}

/** A golden case: JSON, our hypers, and the frames as systems (from the JSON, full precision). */
export interface GoldenCase {
  name: string;
  json: GoldenJson;
  hypers: AniSoapHypers;
  systems: ParticleSystem[];
}

/** The package hypers of a golden file in our names. */
export function hypersFromPackage(p: Record<string, unknown>, species: number[]): AniSoapHypers {
  const h: AniSoapHypers = {
    maxAngular: p.max_angular as number,
    maxRadial: (p.max_radial as number | number[] | undefined) ?? null,
    radialBasis: p.radial_basis_name as 'gto' | 'monomial',
    cutoff: p.cutoff_radius as number,
    subtractCenterContribution: p.subtract_center_contribution as boolean,
    species,
    basisRcond: p.basis_rcond as number,
    basisTol: p.basis_tol as number,
  };
  if (p.radial_gaussian_width !== undefined && p.radial_gaussian_width !== null) h.gaussianWidth = p.radial_gaussian_width as number;
  return h;
}

/** Load one golden case. */
export function loadGolden(name: string): GoldenCase {
  const json = JSON.parse(readFileSync(`${GOLDEN_DIR}${name}.json`, 'utf8')) as GoldenJson;
  const species = json.species_atomic_numbers;
  const systems = json.frames.map((fr): ParticleSystem => {
    const n = fr.positions.length;
    return {
      n,
      positions: Float64Array.from(fr.positions.flat()),
      cell: fr.cell ? Cell.fromRows(fr.cell.flat(), fr.pbc) : Cell.open(),
      types: Int32Array.from(fr.species.map((s) => species.indexOf(ATOMIC_NUMBER[s]!))),
      orientations: Float64Array.from(fr.quaternion_wxyz.flat()),
      semiaxes: Float64Array.from(fr.semiaxes.flat()),
    };
  });
  return { name, json, hypers: hypersFromPackage(json.package_hypers, species), systems };
}

/** The frames of a golden case read from its `.xyz` (10 decimals; diameters halved to semi-axes). */
export function goldenXyzSystems(name: string, species: number[]): ParticleSystem[] {
  return readExtxyz(`${GOLDEN_DIR}${name}.xyz`).map((fr): ParticleSystem => {
    const n = fr.n;
    const d = [1, 2, 3].map((k) => column(fr, fr.columns[`c_diameter[${k}]`] ? `c_diameter[${k}]` : `c_diameter${k}`));
    const semiaxes = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) semiaxes[3 * i + k] = d[k]![i]! / 2;
    const open = !fr.pbc[0] && !fr.pbc[1] && !fr.pbc[2];
    return {
      n,
      positions: Float64Array.from(column(fr, 'pos')),
      cell: open || fr.lattice === null ? Cell.open() : Cell.fromRows(fr.lattice, fr.pbc),
      types: Int32Array.from(fr.columns.species!.strings!.map((s) => species.indexOf(ATOMIC_NUMBER[s]!))),
      orientations: Float64Array.from(column(fr, 'c_q')),
      semiaxes,
    };
  });
}

/**
 * `n` ellipsoids at uniform random places in `cell` (or in a 6 Å box for an open cell), random
 * orientations, semi-axes uniform in [0.4, 1.4), types `i % ntypes`.
 */
export function randomEllipsoidSystem(rand: () => number, cell: Cell, n: number, ntypes = 1, box = 6): ParticleSystem {
  const positions = new Float64Array(3 * n), orientations = new Float64Array(4 * n), semiaxes = new Float64Array(3 * n);
  const types = new Int32Array(n);
  const s = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    if (Cell.isPeriodic(cell)) {
      for (let d = 0; d < 3; d++) s[d] = rand();
      Cell.toCartesian(cell, s, 0, positions, 3 * i);
    } else {
      for (let d = 0; d < 3; d++) positions[3 * i + d] = box * rand();
    }
    orientations.set(randomQuaternion(rand), 4 * i);
    for (let k = 0; k < 3; k++) semiaxes[3 * i + k] = 0.4 + rand();
    types[i] = i % ntypes;
  }
  return { n, positions, cell, types, orientations, semiaxes };
}

/** Largest |a − b| over all entries divided by max(|b|, floor). */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  let num = 0, den = floor;
  for (let k = 0; k < b.length; k++) {
    num = Math.max(num, Math.abs(a[k]! - b[k]!));
    den = Math.max(den, Math.abs(b[k]!));
  }
  if (a.length !== b.length) return Infinity;
  return num / den;
}
