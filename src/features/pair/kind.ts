// SPDX-License-Identifier: BSD-3-Clause
/**
 * The pair features in the feature-calculator registry (`registry.ts`): kind `'pair'`, the zod
 * schema of the hyper-parameters (fields, defaults, documentation and units for the JSON Schema;
 * every check and message from `hypers.ts`), the train-configuration form (no `species`: those
 * come from the data) and the factory. The switch is always on, so there is no `mode`.
 */
import { z } from 'zod';
import type { FeatureCalculatorKind } from '../feature-kind.js';
import { PairCalculator } from './calculator.js';
import {
  fillPairDefaults,
  PAIR_DEFAULT_RADIAL_MIN_FRACTION,
  PAIR_DEFAULT_RADIAL_SCALE_FRACTION,
  PAIR_DEFAULT_SWITCH_FRACTION,
  PAIR_DEFAULTS,
  PAIR_FIELD_MESSAGES as M,
  PAIR_MAX_DEGREE_LIMIT,
  PAIR_MAX_RADIAL_LIMIT,
  PAIR_RADIAL_BASES,
  PAIR_RADIAL_COORDINATES,
  PAIR_SYMMETRIES,
  pairHyperIssues,
  type PairHypers,
} from './hypers.js';

const err = (message: (v: unknown) => string) => ({ error: (iss: { input?: unknown }) => message(iss.input) });
const length = (message: (v: unknown) => string) => z.number(err(message)).meta({ unit: 'length' });

/** The fields of the pair hypers (types and defaults; ranges and cross-field rules in {@link checkPairHypers}). */
const FIELDS = {
  species: z.array(z.number().int(), err(M.species)).readonly().describe('species ids by type index (e.g. atomic numbers, 0 for X); one channel per unordered pair of species'),
  cutoff: length(M.cutoff).describe('cutoff rc on centre–centre distances'),
  switchWidth: length(M.switchWidth).nullable().optional().describe(`width of the C2 switch to zero on [cutoff − switchWidth, cutoff], in (0, cutoff]; default cutoff · ${PAIR_DEFAULT_SWITCH_FRACTION}`),
  shape: z.array(z.number(err(M.shape)), err(M.shape)).readonly().meta({ unit: 'length' }).describe('declared semi-axes [a, b, c] along body x, y, z (two equal for uniaxial particles): the shape of the contact distance σ_c; not read from the data'),
  symmetry: z.enum(PAIR_SYMMETRIES as ['uniaxial', 'biaxial'], err(M.symmetry)).default(PAIR_DEFAULTS.symmetry).describe("declared particle symmetry; only 'uniaxial' is implemented (no dependence on the spin about the distinct axis)"),
  headTail: z.boolean(err(M.headTail)).default(PAIR_DEFAULTS.headTail).describe('head–tail symmetric particles: features even under u → −u of each particle'),
  maxDegree: z.number(err(M.maxDegree)).int(err(M.maxDegree)).default(PAIR_DEFAULTS.maxDegree).describe(`largest degree p + q + 2s of the angular monomials a_i^p a_j^q c^s, 0…${PAIR_MAX_DEGREE_LIMIT}`),
  maxProjectionDegree: z.number(err(M.maxProjectionDegree)).int(err(M.maxProjectionDegree)).nullable().optional().describe('largest degree p + q in the projections u_i·r̂, u_j·r̂, 0…maxDegree; default maxDegree (keeps the high powers of c = u_i·u_j without the mixed terms)'),
  nRadial: z.number(err(M.nRadial)).int(err(M.nRadial)).default(PAIR_DEFAULTS.nRadial).describe(`radial functions per angular function, 1…${PAIR_MAX_RADIAL_LIMIT}`),
  radialBasis: z.enum(PAIR_RADIAL_BASES as ['gaussian', 'spline'], err(M.radialBasis)).default(PAIR_DEFAULTS.radialBasis).describe("'gaussian': Gaussians evenly spaced in t = exp(−(ξ − σ0)/λ); 'spline': uniform cubic B-splines in t on the same grid (4 non-zero per pair: faster)"),
  radialCoordinate: z.enum(PAIR_RADIAL_COORDINATES as ['contact', 'distance'], err(M.radialCoordinate)).default(PAIR_DEFAULTS.radialCoordinate).describe("'contact': radial functions of ξ = r − σ_c + σ0 (Berne–Pechukas contact of the declared shape); 'distance': of the bare r (ablation)"),
  radialMin: length(M.radialMin).nullable().optional().describe(`ξ of the innermost radial centre, below the cutoff; default σ0 · ${PAIR_DEFAULT_RADIAL_MIN_FRACTION} (σ0 the short diameter)`),
  radialScale: length(M.radialScale).nullable().optional().describe(`λ of the radial coordinate t = exp(−(ξ − σ0)/λ), on which the radial functions are evenly spaced; default σ0 · ${PAIR_DEFAULT_RADIAL_SCALE_FRACTION}`),
  radialOverlap: z.number(err(M.radialOverlap)).default(PAIR_DEFAULTS.radialOverlap).describe("width of the radial Gaussians over the spacing of their centres (not used by radialBasis 'spline')"),
};

/** The cross-field rules and ranges of `hypers.ts` as a zod `superRefine`. */
function checkPairHypers(withSpecies: boolean) {
  return (h: unknown, ctx: z.RefinementCtx): void => {
    const { kind: _k, threads: _t, ...rest } = h as Record<string, unknown>;
    void _k;
    void _t;
    for (const i of pairHyperIssues(rest, withSpecies)) ctx.addIssue({ code: 'custom', path: i.path === '' ? [] : [i.path], message: i.message });
  };
}

const unknownKeys = (allowed: readonly string[]) => ({
  error: (iss: { code?: string; keys?: string[]; input?: unknown }) =>
    iss.code === 'unrecognized_keys'
      ? `unknown hyper-parameter ${(iss.keys ?? []).map((k) => `'${k}'`).join(', ')}; allowed: ${allowed.join(', ')}`
      : `pair hypers must be an object, got ${String(iss.input)}`,
});

/** The pair hyper-parameters (unknown keys refused; every default filled in, `switchWidth`, `radialMin`, `radialScale` included). */
export const PairHypersSchema = z
  .strictObject(FIELDS, unknownKeys(Object.keys(FIELDS)))
  .superRefine(checkPairHypers(true))
  .transform((h) => fillPairDefaults(h as Record<string, unknown>));

const { species: _species, ...fieldsWithoutSpecies } = FIELDS;
void _species;

/** The `features` entry of a train configuration for the pair features. */
const trainSchema = z
  .strictObject(
    {
      kind: z.literal('pair'),
      ...fieldsWithoutSpecies,
      threads: z.union([z.number().int().min(1), z.literal('auto')]).optional().describe('accepted for uniformity; the pair features run on one thread'),
    },
    unknownKeys(['kind', ...Object.keys(fieldsWithoutSpecies), 'threads']),
  )
  .superRefine(checkPairHypers(false))
  .transform((h) => fillPairDefaults(h as Record<string, unknown>));

/** The pair-feature registry entry. */
export const pairKind: FeatureCalculatorKind = {
  kind: 'pair',
  summary: 'two-centre features of uniaxial particles: radial Gaussians or cubic B-splines of the contact-shifted distance × symmetric monomials in u_i·r̂, u_j·r̂, u_i·u_j',
  schema: PairHypersSchema,
  trainSchema,
  usesDensityWidths: false,
  hypersFromTrainConfig(entry, species) {
    const { kind: _k, threads: _t, densityWidths: _d, ...hypers } = entry as Record<string, unknown>;
    void _k;
    void _t;
    void _d;
    return { ...(PairHypersSchema.parse({ ...hypers, species }) as Record<string, unknown>) };
  },
  create(hypers: Record<string, unknown>) {
    return new PairCalculator(hypers as unknown as PairHypers);
  },
};
