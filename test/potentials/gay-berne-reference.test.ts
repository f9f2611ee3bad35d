// SPDX-License-Identifier: BSD-3-Clause
/**
 * Gay–Berne against the LAMMPS reference data in `data/reference/gayberne` (README there): every
 * frame's energy, per-particle energies, forces and torques within 1e-10, relative to the
 * frame's largest reference value (absolute below the README's thresholds).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { GayBerne } from '../../src/potentials/gay-berne.js';
import { column, parsePyDict, readExtxyz, type ExtxyzFrame } from '../support/extxyz-lite.js';
import { referencePath } from '../support/reference-data.js';

const DATA = referencePath('gayberne/');
const TOL = 1e-10;
/** Below these reference magnitudes only the absolute error is checked (README). */
const E_FLOOR = 1e-8;
const FT_FLOOR = 1e-6;

type Quantity = 'E' | 'e_i' | 'F' | 'tau';
const worst: Record<string, Record<Quantity, number>> = {};

function record(set: string, q: Quantity, err: number): void {
  const w = (worst[set] ??= { E: 0, e_i: 0, F: 0, tau: 0 });
  w[q] = Math.max(w[q], err);
}

/** max|a − b| / max|b| (or the absolute error when max|b| < floor); fails above TOL. */
function check(set: string, q: Quantity, frame: string, got: ArrayLike<number>, ref: ArrayLike<number>, floor: number): void {
  let num = 0, den = 0;
  for (let k = 0; k < ref.length; k++) {
    num = Math.max(num, Math.abs(got[k]! - ref[k]!));
    den = Math.max(den, Math.abs(ref[k]!));
  }
  const err = den >= floor ? num / den : num;
  record(set, q, err);
  if (!(err <= TOL)) expect.fail(`${set} ${frame}: ${q} error ${err.toExponential(3)} > ${TOL} (max ref ${den})`);
}

function systemOf(f: ExtxyzFrame, types?: Int32Array): ParticleSystem {
  const s: ParticleSystem = {
    n: f.n,
    positions: column(f, 'pos'),
    cell: Cell.fromRows(f.lattice!, f.pbc),
    orientations: column(f, 'quat'),
    semiaxes: column(f, 'semiaxes'),
  };
  return types ? { ...s, types } : s;
}

function checkFrame(set: string, name: string, gb: GayBerne, f: ExtxyzFrame, types?: Int32Array): void {
  const res = gb.computePerParticle(systemOf(f, types));
  const eRef = Number(f.info.energy);
  check(set, 'E', name, [res.energy], [eRef], E_FLOOR);
  check(set, 'e_i', name, res.energies, column(f, 'energies'), E_FLOOR);
  check(set, 'F', name, res.forces, column(f, 'forces'), FT_FLOOR);
  check(set, 'tau', name, res.torques!, column(f, 'torques'), FT_FLOOR);
}

/** GB(3,5,2,1) as `coeff_gb3521.lmp` + `pair_style gayberne 1.0 1.0 2.0 4.0`. */
const gb3521 = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 }).gayBerne;

/** `pair_coeff I J eps sigma ea eb ec ea eb ec` lines of a LAMMPS coefficient file. */
function readPairCoeffs(file: string): { i: number; j: number; eps: number; sigma: number; wi: number[]; wj: number[] }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l.startsWith('pair_coeff'))
    .map((l) => {
      const t = l.split(/\s+/).slice(1).map(Number);
      return { i: t[0]!, j: t[1]!, eps: t[2]!, sigma: t[3]!, wi: t.slice(4, 7), wj: t.slice(7, 10) };
    });
}

/** A multi-type provider from a LAMMPS coefficient file (wells "0 0 0" leave a type unset). */
function fromLammpsCoeffs(file: string): GayBerne {
  const lines = readPairCoeffs(file);
  const nt = Math.max(...lines.map((c) => Math.max(c.i, c.j)));
  const wells: number[][] = [];
  for (const c of lines) {
    if (c.wi.some((x) => x !== 0)) wells[c.i - 1] = c.wi;
    if (c.wj.some((x) => x !== 0)) wells[c.j - 1] = c.wj;
  }
  return new GayBerne({
    gamma: 1,
    upsilon: 1,
    mu: 2,
    cutoff: 4,
    types: Array.from({ length: nt }, (_, t) => ({ wells: wells[t]! })),
    pairs: lines.map((c) => ({ types: [c.i - 1, c.j - 1] as [number, number], epsilon: c.eps, sigma: c.sigma })),
  });
}

describe('GayBerne vs LAMMPS reference data', () => {
  afterAll(() => {
    for (const [set, w] of Object.entries(worst)) {
      console.info(
        `gayberne ${set}: worst rel. error E ${w.E.toExponential(2)}, e_i ${w.e_i.toExponential(2)}, ` +
          `F ${w.F.toExponential(2)}, tau ${w.tau.toExponential(2)}`,
      );
    }
  });

  it('the coefficient file gb3521 gives the same provider as fromClassic', () => {
    const lmp = fromLammpsCoeffs(`${DATA}lammps/coeff_gb3521.lmp`);
    const f = readExtxyz(`${DATA}gb_configs_train.extxyz`)[0]!;
    const a = lmp.compute(systemOf(f));
    const b = gb3521.compute(systemOf(f));
    expect(a.energy).toBe(b.energy);
  });

  it('gb_dimers.extxyz: all 186 GB(3,5,2,1) dimers', () => {
    const frames = readExtxyz(`${DATA}gb_dimers.extxyz`);
    expect(frames.length).toBe(186);
    for (const f of frames) {
      const p = parsePyDict(f.info.gb_params!);
      expect(p).toMatchObject({ kappa: 3, kappa_p: 5, mu: 2, nu: 1, sigma0: 1, eps0: 1, rc: 4 });
      checkFrame('gb_dimers', `dimer ${f.info.dimer_id} (${f.info.geometry})`, gb3521, f);
    }
    const beyond = frames.filter((f) => f.info.geometry === 'beyond_cutoff');
    expect(beyond.length).toBe(2);
    for (const f of beyond) {
      const res = gb3521.compute(systemOf(f));
      expect(res.energy).toBe(0);
      expect(Math.max(...res.forces.map(Math.abs), ...res.torques!.map(Math.abs))).toBe(0);
    }
  });

  it('gb_configs_train.extxyz: all 30 periodic configurations (triclinic, narrow cells)', () => {
    const frames = readExtxyz(`${DATA}gb_configs_train.extxyz`);
    expect(frames.length).toBe(30);
    let triclinic = 0, narrow = 0;
    for (const f of frames) {
      const cell = Cell.fromRows(f.lattice!, f.pbc);
      if (f.info.triclinic === 'T') triclinic++;
      if (Math.min(...Cell.widths(cell)) < 8) narrow++;
      checkFrame('gb_configs_train', String(f.info.config_id), gb3521, f);
    }
    expect(triclinic).toBe(4);
    expect(narrow).toBeGreaterThanOrEqual(5);
  });

  it('gb_dimers_other.extxyz: 60 biaxial and oblate dimers, per-frame gb_matrix parameters', () => {
    const frames = readExtxyz(`${DATA}gb_dimers_other.extxyz`);
    expect(frames.length).toBe(60);
    for (const f of frames) {
      const m = parsePyDict(f.info.gb_matrix!) as {
        semi: number[]; rel: number[]; sigma: number; eps: number; gamma: number; upsilon: number; mu: number; rc: number;
      };
      const semi = column(f, 'semiaxes');
      expect(Array.from(semi.subarray(0, 3))).toEqual(m.semi);
      const gb = new GayBerne({
        gamma: m.gamma, upsilon: m.upsilon, mu: m.mu, cutoff: m.rc, epsilon: m.eps, sigma: m.sigma, wells: m.rel,
      });
      checkFrame('gb_dimers_other', `dimer ${f.info.dimer_id} (${f.info.geometry})`, gb, f);
    }
  });

  it('gb_dimers_other.extxyz with one two-type provider from coeff_other.lmp', () => {
    const gb = fromLammpsCoeffs(`${DATA}lammps/coeff_other.lmp`);
    expect(gb.typeCount).toBe(2);
    const frames = readExtxyz(`${DATA}gb_dimers_other.extxyz`);
    for (const f of frames) {
      const t = f.info.geometry === 'biaxial' ? 0 : 1;
      checkFrame('coeff_other', `dimer ${f.info.dimer_id} (${f.info.geometry})`, gb, f, Int32Array.of(t, t));
    }
  });

  it('gb_dimers_other.extxyz oblate set as classic GB with σ_w ≠ σ0 (κ 0.345, κ′ 0.2, σ_w 0.345)', () => {
    const { gayBerne: gb, semiaxes } = GayBerne.fromClassic({ kappa: 0.345, kappaPrime: 0.2, mu: 2, nu: 1, sigma0: 1, sigmaW: 0.345, epsilon0: 1, cutoff: 4 });
    const frames = readExtxyz(`${DATA}gb_dimers_other.extxyz`).filter((f) => f.info.geometry === 'oblate');
    expect(frames.length).toBe(30);
    for (const f of frames) {
      expect(Array.from(column(f, 'semiaxes').subarray(0, 3))).toEqual(semiaxes);
      checkFrame('oblate_classic_sigmaW', `dimer ${f.info.dimer_id}`, gb, f);
    }
  });

  it('gb_dimer_scans.csv: the 124 energies of the canonical scans', () => {
    const rows = readFileSync(`${DATA}gb_dimer_scans.csv`, 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBe(124);
    // (r̂, u_i, u_j) per geometry; u is body z, so quaternions rotate z onto x or y.
    const s = Math.SQRT1_2;
    const qz = [1, 0, 0, 0], qx = [s, 0, s, 0], qy = [s, -s, 0, 0];
    const geo: Record<string, { rhat: number[]; qi: number[]; qj: number[] }> = {
      side_by_side: { rhat: [1, 0, 0], qi: qz, qj: qz },
      end_to_end: { rhat: [0, 0, 1], qi: qz, qj: qz },
      T_shape: { rhat: [1, 0, 0], qi: qx, qj: qz },
      cross: { rhat: [1, 0, 0], qi: qz, qj: qy },
    };
    let worstRel = 0;
    for (const row of rows) {
      const [name, rs, es] = row.split(',');
      const g = geo[name!]!;
      const r = Number(rs), eRef = Number(es);
      const sys: ParticleSystem = {
        n: 2,
        positions: Float64Array.of(0, 0, 0, r * g.rhat[0]!, r * g.rhat[1]!, r * g.rhat[2]!),
        cell: Cell.open(),
        orientations: Float64Array.from([...g.qi, ...g.qj]),
      };
      const e = gb3521.compute(sys).energy;
      const err = Math.abs(eRef) >= E_FLOOR ? Math.abs(e - eRef) / Math.abs(eRef) : Math.abs(e - eRef);
      worstRel = Math.max(worstRel, err);
      if (!(err <= TOL)) expect.fail(`scan ${name} r=${r}: E ${e} vs LAMMPS ${eRef} (error ${err})`);
    }
    record('gb_dimer_scans', 'E', worstRel);
  });
});
