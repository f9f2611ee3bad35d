// SPDX-License-Identifier: BSD-3-Clause
/**
 * The `gayberne` configuration entry beyond GB(3,5,2,1): the biaxial and oblate LAMMPS parameter
 * sets of `data/reference/gayberne/gb_dimers_other.extxyz` (README there) through driver configs,
 * replayed by `anisodrive replay --config` (reduced units scaled to Å/eV and back): every frame's
 * energy, forces and torques within 1e-10 of LAMMPS, relative to the frame's largest reference
 * value (the tolerance of `test/potentials/gay-berne-reference.test.ts`). Also: finite
 * differences of the configured providers (forces, torques, virial), the drive path with a triad
 * mapping, and the errors of the new forms.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayCommand } from '../../plugin/commands/replay.js';
import { buildProvider, ellipsoidProviderFromConfig } from '../../plugin/config/build-provider.js';
import { validate } from '../../plugin/config/load.js';
import { DriverConfigSchema, type DriverConfig } from '../../plugin/config/schema.js';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { TriadMapping } from '../../src/mapping/triad.js';
import { expectCode } from '../support/assertions.js';
import { column, readExtxyz, type ExtxyzFrame } from '../support/extxyz-lite.js';
import { maxRelativeError, numericalForces, numericalTorques, numericalVirial } from '../support/finite-difference.js';
import { referencePath } from '../support/reference-data.js';

const DATA = referencePath('gayberne/');
const OTHER = `${DATA}gb_dimers_other.extxyz`;
const TOL = 1e-10;
const E_FLOOR = 1e-8;
const FT_FLOOR = 1e-6;
const dir = mkdtempSync(join(tmpdir(), 'anisodrive-gbconfig-'));

/** Reduced units of the LAMMPS data, scaled to Å/eV/amu by arbitrary factors (the round trip must not care). */
const LJ_UNITS = { system: 'lj', sigma: 3.7, epsilon: 0.013, mass: 40 };

/** Biaxial type (LAMMPS type 1 of coeff_other.lmp) in the LAMMPS matrix form. */
const BIAXIAL_LAMMPS = {
  kind: 'gayberne', form: 'lammps', gamma: 1, upsilon: 1, mu: 2, cutoff: 4,
  types: [{ semiaxes: [0.5, 0.8, 1.5], wells: [1, 0.5, 0.2] }],
  pairs: [{ types: [0, 0], epsilon: 1, sigma: 1 }],
};
/** Oblate type (LAMMPS type 2) in the matrix form. */
const OBLATE_LAMMPS = {
  kind: 'gayberne', form: 'lammps',
  types: [{ semiaxes: [0.5, 0.5, 0.1725], wells: [1, 1, 5] }],
  pairs: [{ types: [0, 0], epsilon: 1, sigma: 0.345 }],
};
/** Oblate type as classic GB: κ = 0.345, κ′ = 0.2, σ_w = 0.345 ≠ σ0 = 1 (README). */
const OBLATE_CLASSIC = { kind: 'gayberne', kappa: 0.345, kappaPrime: 0.2, mu: 2, nu: 1, sigma0: 1, sigmaW: 0.345, epsilon0: 1, cutoff: 4 };

const frames = readExtxyz(OTHER);
/** The frames of one geometry, in file order. */
const setOf = (geometry: string) => frames.filter((f) => f.info.geometry === geometry);

/** The frames of `geometry` as a file of their own (the shared file's lines, unchanged). */
function subsetFile(geometry: string): string {
  const lines = readFileSync(OTHER, 'utf8').split('\n');
  const out: string[] = [];
  for (let l = 0; l + 1 < lines.length && lines[l]!.trim() !== '';) {
    const n = Number(lines[l]);
    if (/geometry=(\S+)/.exec(lines[l + 1]!)![1] === geometry) out.push(...lines.slice(l, l + n + 2));
    l += n + 2;
  }
  const path = join(dir, `${geometry}.extxyz`);
  writeFileSync(path, out.join('\n') + '\n');
  return path;
}

function writeConfig(name: string, potential: object, units: object = { system: 'real' }, mapping?: object): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ units, ...(mapping ? { mapping } : {}), potentials: [potential] }));
  return path;
}

const worst: Record<string, number> = {};

/** max|a − b| / max|b| (absolute below `floor`), recorded per set, failing above TOL. */
function check(set: string, what: string, got: ArrayLike<number>, ref: ArrayLike<number>, floor: number): void {
  let num = 0, den = 0;
  for (let k = 0; k < ref.length; k++) {
    num = Math.max(num, Math.abs(got[k]! - ref[k]!));
    den = Math.max(den, Math.abs(ref[k]!));
  }
  const err = den >= floor ? num / den : num;
  worst[`${set} ${what}`] = Math.max(worst[`${set} ${what}`] ?? 0, err);
  if (!(err <= TOL)) expect.fail(`${set} ${what} error ${err.toExponential(3)} > ${TOL}`);
}

async function replayed(config: string, traj: string, name: string): Promise<ExtxyzFrame[]> {
  const out = join(dir, `${name}.out.extxyz`);
  await replayCommand([traj], { config, out, quiet: true }, { print: () => undefined });
  return readExtxyz(out);
}

function systemOf(f: ExtxyzFrame): ParticleSystem {
  return { n: f.n, positions: column(f, 'pos'), cell: Cell.fromRows(f.lattice!, f.pbc), orientations: column(f, 'quat'), semiaxes: column(f, 'semiaxes') };
}

describe('gayberne config: biaxial and oblate LAMMPS sets through replay --config', () => {
  afterAll(() => console.info(`gayberne other sets via config (worst rel. error): ${Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(2)}`).join('; ')}`));

  const cases: [string, string, object, object][] = [
    ['biaxial, lammps form, lj units', 'biaxial', BIAXIAL_LAMMPS, LJ_UNITS],
    ['biaxial, lammps form, real units', 'biaxial', BIAXIAL_LAMMPS, { system: 'real' }],
    ['oblate, lammps form, lj units', 'oblate', OBLATE_LAMMPS, LJ_UNITS],
    ['oblate, classic with sigmaW, lj units', 'oblate', OBLATE_CLASSIC, LJ_UNITS],
  ];
  for (const [label, geometry, potential, units] of cases) {
    it(`${label}: all 30 frames to ${TOL}`, async () => {
      const ref = setOf(geometry);
      expect(ref.length).toBe(30);
      const name = label.replace(/[^a-z]+/g, '-');
      const got = await replayed(writeConfig(name, potential, units), subsetFile(geometry), name);
      expect(got.length).toBe(30);
      for (let k = 0; k < 30; k++) {
        const g = got[k]!, r = ref[k]!;
        expect(g.info.units).toBe((units as { system: string }).system === 'lj' ? 'lj' : 'angstrom,eV');
        check(label, 'E', [Number(g.info.energy)], [Number(r.info.energy)], E_FLOOR);
        check(label, 'F', column(g, 'forces'), column(r, 'forces'), FT_FLOOR);
        check(label, 'tau', column(g, 'torques'), column(r, 'torques'), FT_FLOOR);
      }
    });
  }

  it('both sets at once: one two-type entry (coeff_other.lmp), types from species names, all 60 frames', async () => {
    const two = {
      kind: 'gayberne', form: 'lammps',
      types: [{ ...BIAXIAL_LAMMPS.types[0], species: 'C' }, { ...OBLATE_LAMMPS.types[0], species: 'O' }],
      pairs: [...BIAXIAL_LAMMPS.pairs, { types: [1, 1], epsilon: 1, sigma: 0.345 }, { types: [0, 1], epsilon: 1, sigma: 0.5 }],
    };
    // The shared file names every particle X: rename them by set (C biaxial, O oblate).
    const lines = readFileSync(OTHER, 'utf8').split('\n');
    let species = 'X';
    const renamed = lines.map((l) => {
      const g = /geometry=(\S+)/.exec(l);
      if (g) species = g[1] === 'biaxial' ? 'C' : 'O';
      return l.startsWith('X ') ? species + l.slice(1) : l;
    });
    const traj = join(dir, 'both.extxyz');
    writeFileSync(traj, renamed.join('\n'));
    const got = await replayed(writeConfig('both', two, LJ_UNITS), traj, 'both');
    expect(got.length).toBe(60);
    for (let k = 0; k < 60; k++) {
      const g = got[k]!, r = frames[k]!;
      check('two types by species', 'E', [Number(g.info.energy)], [Number(r.info.energy)], E_FLOOR);
      check('two types by species', 'F', column(g, 'forces'), column(r, 'forces'), FT_FLOOR);
      check('two types by species', 'tau', column(g, 'torques'), column(r, 'torques'), FT_FLOOR);
    }
    // A species the configuration does not name is an error naming it.
    writeFileSync(traj, renamed.join('\n').replace(/^C /m, 'N '));
    await expect(replayed(writeConfig('both', two, LJ_UNITS), traj, 'both-bad')).rejects.toMatchObject({
      code: 'E_IO', message: expect.stringMatching(/particle 0 has species 'N', not one of the configuration's types \[C, O\]/),
    });
  });

  it('the classic oblate entry (sigmaW) gives bitwise the matrix form', () => {
    const a = ellipsoidProviderFromConfig(validate(DriverConfigSchema, { units: LJ_UNITS, potentials: [OBLATE_CLASSIC] }, 'a'), dir).provider;
    const b = ellipsoidProviderFromConfig(validate(DriverConfigSchema, { units: LJ_UNITS, potentials: [OBLATE_LAMMPS] }, 'b'), dir).provider;
    for (const f of setOf('oblate').slice(0, 5)) {
      const sys = systemOf(f);
      const ra = a.compute(sys), rb = b.compute(sys);
      expect(ra.energy).toBe(rb.energy);
      expect(Array.from(ra.torques!)).toEqual(Array.from(rb.torques!));
    }
  });
});

describe('gayberne config: finite differences of the configured providers (new parameter sets)', () => {
  const sets: [string, object, string][] = [
    ['biaxial lammps form', BIAXIAL_LAMMPS, 'biaxial'],
    ['oblate classic sigmaW', OBLATE_CLASSIC, 'oblate'],
    ['oblate lammps form, switch', { ...OBLATE_LAMMPS, truncation: 'switch', switchWidth: 1.5 }, 'oblate'],
  ];
  for (const [label, potential, geometry] of sets) {
    it(`${label}: forces, torques, virial of 6 dimers ≤ 1e-7 (lj units scaled)`, () => {
      const { provider } = ellipsoidProviderFromConfig(validate(DriverConfigSchema, { units: LJ_UNITS, potentials: [potential] }, label), dir);
      for (const f of setOf(geometry).slice(0, 6)) {
        const s0 = systemOf(f);
        // Into Å, in a 4·rc box so that the virial sees a periodic cell.
        const sys: ParticleSystem = { ...s0, positions: s0.positions.map((x) => x * 3.7), semiaxes: s0.semiaxes!.map((x) => x * 3.7), cell: Cell.orthorhombic(60, 60, 60) };
        const e = (s: ParticleSystem) => provider.compute(s).energy;
        const r = provider.compute(sys);
        expect(Math.abs(r.energy)).toBeGreaterThan(0);
        expect(maxRelativeError(r.forces, numericalForces(e, sys, 1e-5))).toBeLessThan(1e-7);
        expect(maxRelativeError(r.torques!, numericalTorques(e, sys, 1e-5))).toBeLessThan(1e-7);
        expect(maxRelativeError(r.virial, numericalVirial(e, sys, 1e-6))).toBeLessThan(1e-7);
      }
    });
  }
});

describe('gayberne config: drive path and errors', () => {
  const triad = { kind: 'triad', semiaxes: [0.5, 0.8, 1.5], geometry: [[0, 0, -1], [0, 0, 1], [0.6, 0, 0]] };
  const cfg = (raw: object): DriverConfig => validate(DriverConfigSchema, raw, 'x.json');

  it('a biaxial lammps-form entry is served behind a triad mapping, as the library composes it', () => {
    const provider = buildProvider(cfg({ units: LJ_UNITS, mapping: triad, potentials: [BIAXIAL_LAMMPS, { kind: 'restraint', k: 50 }] }));
    const mapping = new TriadMapping({ semiaxes: [0.5 * 3.7, 0.8 * 3.7, 1.5 * 3.7], geometry: [0, 0, -3.7, 0, 0, 3.7, 0.6 * 3.7, 0, 0] });
    const f = setOf('biaxial')[3]!;
    const ells = systemOf(f);
    const sites = mapping.toSites({ ...ells, positions: ells.positions.map((x) => x * 3.7), cell: Cell.orthorhombic(185, 185, 185) });
    const r = provider.compute(sites);
    // Rigid sites: the restraint is at rest, the energy is the LAMMPS dimer energy in eV.
    expect(r.energy / 0.013).toBeCloseTo(Number(f.info.energy), 10);
    const e = (s: ParticleSystem) => provider.compute(s).energy;
    expect(maxRelativeError(r.forces, numericalForces(e, sites, 1e-5))).toBeLessThan(1e-7);
  });

  it('refuses a mapping whose semi-axes contradict type 0, and several types behind a mapping', () => {
    expectCode(
      () => buildProvider(cfg({ mapping: { ...triad, semiaxes: [0.5, 0.5, 1.5] }, potentials: [BIAXIAL_LAMMPS] })),
      'E_CONFIG',
      /form 'lammps'\) type 0 needs mapping\.semiaxes \[0\.5, 0\.8, 1\.5\], but the mapping declares \[0\.5, 0\.5, 1\.5\]/,
    );
    const two = { ...BIAXIAL_LAMMPS, types: [...BIAXIAL_LAMMPS.types, OBLATE_LAMMPS.types[0]], pairs: [...BIAXIAL_LAMMPS.pairs, { types: [1, 1], epsilon: 1, sigma: 0.345 }] };
    expectCode(() => buildProvider(cfg({ mapping: triad, potentials: [two] })), 'E_CONFIG', /has 2 types; .*one-type Gay–Berne only/);
    expectCode(() => ellipsoidProviderFromConfig(cfg({ potentials: [two] }), dir), 'E_CONFIG', /has 2 types: give each a species name/);
  });

  it('names bad values of the lammps form and an unknown form', () => {
    expectCode(() => cfg({ potentials: [{ ...BIAXIAL_LAMMPS, types: [{ semiaxes: [0.5, 0, 1], wells: [1, 1, 1] }] }] }), 'E_CONFIG', /potentials\.0\.types\.0\.semiaxes\.1: gayberne\.types\.semiaxes must be > 0 \(got 0\)/);
    expectCode(() => cfg({ potentials: [{ ...BIAXIAL_LAMMPS, kappa: 3 }] }), 'E_CONFIG', /potentials\.0: Unrecognized key: "kappa"/);
    expectCode(() => cfg({ potentials: [{ ...BIAXIAL_LAMMPS, form: 'matrix' }] }), 'E_CONFIG', /potentials\.0\.form: gayberne\.form must be 'classic' \(the default when absent\) or 'lammps' \(got "matrix"\)/);
    const noLike = { ...BIAXIAL_LAMMPS, pairs: [{ types: [0, 1], epsilon: 1, sigma: 1 }] };
    expectCode(() => buildProvider(cfg({ mapping: triad, potentials: [noLike] })), 'E_CONFIG', /pairs\[0\]\.types has type 1, allowed 0\.\.0/);
  });
});
