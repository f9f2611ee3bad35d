// SPDX-License-Identifier: BSD-3-Clause
/**
 * Registry entry of Gay–Berne (`gay-berne.ts`), in two forms selected by `form`:
 *
 * - `"classic"` (the default when `form` is absent): GB(κ, κ′, μ, ν) of identical uniaxial
 *   particles with σ0, ε0 and optionally σ_w ≠ σ0 (`sigmaW`, the width of the LJ-like term, e.g.
 *   the oblate LAMMPS set: κ = 0.345, κ′ = 0.2, σ_w = 0.345);
 * - `"lammps"`: the matrix form of LAMMPS `pair_style gayberne γ υ μ rc` with `pair_coeff`: per
 *   type semi-axes (LAMMPS `shape` / 2) and relative well depths (εa, εb, εc), per type pair ε, σ
 *   and cutoff (unlike pairs not given are mixed geometrically). This reaches biaxial particles
 *   and several types.
 *
 * Lengths are in the configuration's length unit, energies in its energy unit.
 */
import { z } from 'zod';
import { AnisoError } from '../core/errors.js';
import { positiveNumber, positiveTriple, scaled, type UnitScales } from '../mapping/mapping-entry.js';
import { GayBerne } from './gay-berne.js';
import type { GayBerneOptions } from './gay-berne-params.js';
import { definePotential, truncationSchema, type PotentialContext } from './potential-entry.js';

const truncation = {
  truncation: truncationSchema.default('hard').describe("'hard' as LAMMPS, 'switch' smooth to zero on [cutoff − switchWidth, cutoff]"),
  switchWidth: positiveNumber('gayberne.switchWidth').default(0.5),
};

/** Classic GB(κ, κ′, μ, ν) parameters. */
export const gayBerneClassicSchema = z.strictObject({
  kind: z.literal('gayberne'),
  form: z.literal('classic').optional().describe("'classic' (default): GB(kappa, kappaPrime, mu, nu); 'lammps': the matrix form"),
  kappa: positiveNumber('gayberne.kappa').describe('length-to-breadth ratio σe/σs'),
  kappaPrime: positiveNumber('gayberne.kappaPrime').describe('side-by-side to end-to-end well-depth ratio εs/εe'),
  mu: z.number().default(2),
  nu: z.number().default(1),
  sigma0: positiveNumber('gayberne.sigma0').default(1).describe('side-by-side contact distance (length unit)'),
  sigmaW: positiveNumber('gayberne.sigmaW').optional().describe('width σ of the LJ-like term (length unit) when it differs from sigma0; default sigma0'),
  epsilon0: positiveNumber('gayberne.epsilon0').default(1).describe('energy scale (energy unit)'),
  cutoff: positiveNumber('gayberne.cutoff').default(4).describe('centre–centre cutoff (length unit)'),
  ...truncation,
});

const typeIndex = z.number().int().nonnegative();

/** LAMMPS matrix-form parameters (`pair_style gayberne gamma upsilon mu cutoff` + `pair_coeff`). */
export const gayBerneLammpsSchema = z.strictObject({
  kind: z.literal('gayberne'),
  form: z.literal('lammps'),
  gamma: z.number().nonnegative().default(1).describe('shift γ in ρ = σ / (h + γσ)'),
  upsilon: z.number().default(1).describe('exponent υ of η (classic ν)'),
  mu: z.number().default(2).describe('exponent μ of χ'),
  cutoff: positiveNumber('gayberne.cutoff').default(4).describe('global centre–centre cutoff (length unit)'),
  types: z
    .array(
      z.strictObject({
        semiaxes: positiveTriple('gayberne.types.semiaxes').describe('semi-axes along body x, y, z (length unit; LAMMPS shape / 2)'),
        wells: positiveTriple('gayberne.types.wells').describe('relative well depths εa, εb, εc along body x, y, z (LAMMPS pair_coeff)'),
        species: z.string().min(1).optional().describe('species name of this type in replayed trajectories (needed there with several types)'),
      }),
    )
    .min(1)
    .describe('one entry per particle type 0, 1, …'),
  pairs: z
    .array(
      z.strictObject({
        types: z.tuple([typeIndex, typeIndex]).describe('the two type indices (0-based)'),
        epsilon: positiveNumber('gayberne.pairs.epsilon').describe('energy scale ε (energy unit)'),
        sigma: positiveNumber('gayberne.pairs.sigma').describe('width σ of the LJ-like term (length unit)'),
        cutoff: positiveNumber('gayberne.pairs.cutoff').optional().describe('pair cutoff (length unit); default the global cutoff'),
      }),
    )
    .min(1)
    .describe('LAMMPS pair_coeff per type pair; every like pair (t, t) is needed, unlike pairs default to geometric mixing'),
  ...truncation,
});

/** The `gayberne` configuration: classic (default) or LAMMPS matrix form, selected by `form`. */
export const gayBerneSchema = z.discriminatedUnion('form', [gayBerneClassicSchema, gayBerneLammpsSchema], {
  error: "gayberne.form must be 'classic' (the default when absent) or 'lammps'",
});

/** Validated Gay–Berne parameters of either form. */
export type GayBerneParams = z.output<typeof gayBerneSchema>;

/** The provider in Å and eV with its per-type default semi-axes (3 per type, Å). */
export interface GayBerneFromParams {
  gayBerne: GayBerne;
  /** Semi-axes of type t at `3t … 3t+2` (Å, body x, y, z). */
  semiaxes: number[];
}

/** The Gay–Berne provider of `p` in Å and eV. Throws `E_CONFIG` for inconsistent pair tables. */
export function gayBerneFromParams(p: GayBerneParams, s: UnitScales): GayBerneFromParams {
  if (p.form !== 'lammps') {
    const { gayBerne, semiaxes } = GayBerne.fromClassic({
      kappa: p.kappa,
      kappaPrime: p.kappaPrime,
      mu: p.mu,
      nu: p.nu,
      sigma0: p.sigma0 * s.length,
      ...(p.sigmaW !== undefined ? { sigmaW: p.sigmaW * s.length } : {}),
      epsilon0: p.epsilon0 * s.energy,
      cutoff: p.cutoff * s.length,
      truncation: p.truncation,
      switchWidth: p.switchWidth * s.length,
    });
    return { gayBerne, semiaxes };
  }
  const options: GayBerneOptions = {
    gamma: p.gamma,
    upsilon: p.upsilon,
    mu: p.mu,
    cutoff: p.cutoff * s.length,
    types: p.types.map((t) => ({ semiaxes: scaled(t.semiaxes, s.length), wells: t.wells })),
    pairs: p.pairs.map((q) => ({
      types: q.types,
      epsilon: q.epsilon * s.energy,
      sigma: q.sigma * s.length,
      ...(q.cutoff !== undefined ? { cutoff: q.cutoff * s.length } : {}),
    })),
    truncation: p.truncation,
    switchWidth: p.switchWidth * s.length,
  };
  try {
    return { gayBerne: new GayBerne(options), semiaxes: p.types.flatMap((t) => scaled(t.semiaxes, s.length)) };
  } catch (err) {
    if (err instanceof AnisoError) throw new AnisoError('E_CONFIG', err.message, { cause: err });
    throw err;
  }
}

/** Refuse a mapping whose kind or semi-axes contradict the Gay–Berne shape (`E_CONFIG`). */
function checkMapping(p: GayBerneParams, semiaxes: readonly number[], ctx: PotentialContext): void {
  const m = ctx.mappingParams;
  if (m === null) return;
  if (m.semiaxes === undefined) {
    throw new AnisoError('E_CONFIG', "gayberne acts on ellipsoids: set mapping.kind to 'dumbbell', 'triad' or 'molecule'");
  }
  const L = ctx.scales.length;
  if (p.form === 'lammps' && p.types.length !== 1) {
    throw new AnisoError(
      'E_CONFIG',
      `gayberne (form 'lammps') has ${p.types.length} types; the site mappings give every ellipsoid type 0, so drive serves one-type Gay–Berne only`,
    );
  }
  const given = scaled(m.semiaxes, L);
  const bad = given.some((x, k) => Math.abs(x - semiaxes[k]!) > 1e-9 * Math.max(1, Math.abs(semiaxes[k]!)));
  if (!bad) return;
  const needs = `[${semiaxes.slice(0, 3).map((x) => x / L).join(', ')}], but the mapping declares [${m.semiaxes.join(', ')}]`;
  throw new AnisoError(
    'E_CONFIG',
    p.form === 'lammps'
      ? `gayberne (form 'lammps') type 0 needs mapping.semiaxes ${needs}`
      : `gayberne with kappa ${p.kappa} and sigma0 ${p.sigma0} needs mapping.semiaxes ${needs}`,
  );
}

/** Gay–Berne as a registry member: acts on ellipsoids; checks the mapping's semi-axes against its shape. */
export const gayBernePotential = definePotential({
  kind: 'gayberne',
  schema: gayBerneSchema,
  actsOn: () => 'ellipsoids',
  speciesNames: (p) => (p.form === 'lammps' ? p.types.map((t) => t.species) : [undefined]),
  create: (p, ctx) => {
    const { gayBerne, semiaxes } = gayBerneFromParams(p, ctx.scales);
    checkMapping(p, semiaxes, ctx);
    return { on: 'ellipsoids', provider: gayBerne };
  },
});
