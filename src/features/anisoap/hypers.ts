// SPDX-License-Identifier: BSD-3-Clause
/**
 * Hyper-parameters of the AniSOAP calculator: ONE zod schema ({@link AniSoapHypersSchema}) holds
 * their names, types, defaults, documentation (`describe`) and units (`meta({ unit })`); the
 * library ({@link resolveAniSoapHypers}), the `train` configuration, the `featurize` flags and the
 * JSON Schema all derive from it.
 *
 * Names follow featomic's camel-cased spirit; the AniSOAP package (`EllipsoidalDensityProjection`,
 * ANISOAP.md §7) equivalents are given for each field. Lengths share one unit (Å in anisodrive, the
 * model's unit in a model file): positions, cell, semi-axes, `cutoff`, `gaussianWidth`, `switchWidth`.
 *
 * Modes:
 * - `'package'` (default) reproduces the AniSOAP package (main@6b28869) exactly: pairs with centre
 *   distance `< cutoff` enter with weight 1 and leave discontinuously at the cutoff (no smoothing).
 *   A linear model on these features does not conserve energy in MD.
 * - `'md'` multiplies every pair contribution (of the ν = 1 coefficients) by the C2 quintic switch
 *   `S(r)` of `CutoffSwitch`, going from 1 at `cutoff − switchWidth` to 0 at `cutoff` (default
 *   width `cutoff / 4`), so that features, energies and forces are continuous. The self pair
 *   (r = 0) keeps weight 1.
 */
import { z } from 'zod';
import { AnisoError } from '../../core/errors.js';

/** The two evaluation modes. */
export type AniSoapMode = 'package' | 'md';
/** Allowed {@link AniSoapMode} values. */
export const ANISOAP_MODES: readonly AniSoapMode[] = Object.freeze(['package', 'md'] as AniSoapMode[]);
/** Allowed radial bases. */
export const ANISOAP_RADIAL_BASES: readonly ('gto' | 'monomial')[] = Object.freeze(['gto', 'monomial'] as ('gto' | 'monomial')[]);

/** Largest supported `maxAngular`. */
export const MAX_ANGULAR_LIMIT = 15;
/** Largest supported polynomial degree `l + 2(N_l − 1)`. */
export const MAX_DEGREE_LIMIT = 31;
/** Default switch width in mode `'md'`, as a fraction of the cutoff. */
export const DEFAULT_SWITCH_FRACTION = 0.25;

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? JSON.stringify(v) : String(v));
const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
const length = (name: string) =>
  z.number({ error: (iss) => `${name} = ${show(iss.input)} must be a finite length > 0` }).positive().meta({ unit: 'length' });
const count = z.number().int().min(0);

/**
 * The fields of the AniSOAP hyper-parameters (zod schemas with documentation, defaults and units);
 * {@link AniSoapHypersSchema} adds the cross-field rules. Exported so that configurations can pick
 * fields (the train configuration leaves out `species`, which come from the data).
 */
export const ANISOAP_HYPER_FIELDS = {
  maxAngular: z
    .number({ error: (iss) => `maxAngular = ${show(iss.input)} must be an integer in 0…${MAX_ANGULAR_LIMIT}` })
    .int()
    .min(0)
    .max(MAX_ANGULAR_LIMIT)
    .describe('lmax, the largest angular channel (package max_angular)'),
  maxRadial: z
    .union([count, z.array(count).readonly(), z.null()], {
      error: (iss) => `maxRadial = ${show(iss.input)} must be null, an integer ≥ 0, or a list of maxAngular + 1 integers ≥ 0`,
    })
    .default(null)
    .describe('radial functions per l (package max_radial): null → N_l = ⌊(lmax − l)/2⌋ + 1; an integer nmax → N_l = nmax + 1; a list (lmax + 1 entries) → N_l = maxRadial[l] + 1'),
  radialBasis: z
    .enum(['gto', 'monomial'], { error: (iss) => `radialBasis = ${show(iss.input)} is not one of ${quoted(ANISOAP_RADIAL_BASES)}` })
    .default('gto')
    .describe('radial basis (package radial_basis_name)'),
  gaussianWidth: length('gaussianWidth')
    .nullable()
    .optional()
    .describe("GTO width σ (package radial_gaussian_width); required for radialBasis 'gto', not allowed for 'monomial'"),
  cutoff: length('cutoff').describe('cutoff rc on centre–centre distances (package cutoff_radius)'),
  subtractCenterContribution: z
    .boolean({ error: (iss) => `subtractCenterContribution = ${show(iss.input)} must be true or false` })
    .default(false)
    .describe("leave out the centre's own Gaussian (package subtract_center_contribution)"),
  species: z
    .array(z.number({ error: (iss) => `species entry ${show(iss.input)} must be an integer id` }).int(), {
      error: (iss) => `species must be a non-empty list of integer species ids (e.g. atomic numbers, 0 for X), got ${show(iss.input)}`,
    })
    .min(1)
    .readonly()
    .describe('species ids by type index (e.g. atomic numbers, 0 for X); every species gets a neighbour channel; distinct integers'),
  basisRcond: z
    .number({ error: (iss) => `basisRcond = ${show(iss.input)} must be a finite number ≥ 0` })
    .nonnegative()
    .default(0)
    .describe('eigenvalue floor of the Löwdin S^(−1/2) of the radial basis (package basis_rcond)'),
  basisTol: z
    .number({ error: (iss) => `basisTol = ${show(iss.input)} must be a number > 0` })
    .positive()
    .default(1e-8)
    .describe('tolerance of the Löwdin reconstruction check (package basis_tol)'),
  mode: z
    .enum(['package', 'md'], { error: (iss) => `mode = ${show(iss.input)} is not one of ${quoted(ANISOAP_MODES)}` })
    .default('package')
    .describe("'package': the package's hard cutoff; 'md': smooth C2 switch to zero at the cutoff (for MD models)"),
  switchWidth: length('switchWidth')
    .nullable()
    .optional()
    .describe(`switch width in mode 'md', in (0, cutoff]; default cutoff · ${DEFAULT_SWITCH_FRACTION}; not allowed in mode 'package'`),
};

/** The AniSOAP fields as validated (before the cross-field rules and the switch default). */
type Fields = z.output<z.ZodObject<typeof ANISOAP_HYPER_FIELDS>>;

/**
 * The cross-field rules (a zod `superRefine`): GTO width present for `'gto'` and absent for
 * `'monomial'`, `maxRadial` list length and degree limit, switch width only in mode `'md'` and
 * ≤ cutoff, distinct species. `species` may be absent (configurations that take them from data).
 */
export function checkAniSoapHypers(h: Omit<Fields, 'species'> & { species?: readonly number[] }, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const lmax = h.maxAngular;
  const mr = h.maxRadial;
  if (Array.isArray(mr) && mr.length !== lmax + 1) issue('maxRadial', `maxRadial has ${mr.length} entries; a list needs exactly maxAngular + 1 = ${lmax + 1}`);
  else {
    for (let l = 0; l <= lmax; l++) {
      const nl = radialCount(lmax, mr, l);
      if (l + 2 * (nl - 1) > MAX_DEGREE_LIMIT) {
        issue('maxRadial', `l + 2·(N_l − 1) = ${l + 2 * (nl - 1)} for l = ${l} exceeds the supported degree ${MAX_DEGREE_LIMIT}; lower maxRadial`);
        break;
      }
    }
  }
  const sigma = h.gaussianWidth ?? null;
  if (h.radialBasis === 'gto' && sigma === null) issue('gaussianWidth', "radialBasis 'gto' needs gaussianWidth (the GTO width σ, a length > 0; required for radialBasis 'gto')");
  if (h.radialBasis === 'monomial' && sigma !== null) issue('gaussianWidth', `gaussianWidth = ${sigma} is not allowed with radialBasis 'monomial' (the package rejects it too)`);
  const w = h.switchWidth ?? null;
  if (h.mode === 'md' && w !== null && w > h.cutoff) issue('switchWidth', `switchWidth = ${w} must be in (0, cutoff = ${h.cutoff}]`);
  if (h.mode === 'package' && w !== null) {
    issue('switchWidth', `switchWidth is only used in mode 'md'; mode 'package' has a hard cutoff (allowed modes: ${ANISOAP_MODES.join(', ')})`);
  }
  const seen = new Set<number>();
  for (const s of h.species ?? []) {
    if (seen.has(s)) issue('species', `species ${s} is listed twice in ${JSON.stringify(h.species)}`);
    seen.add(s);
  }
}

/** The switch-width default of mode `'md'` (`cutoff · DEFAULT_SWITCH_FRACTION`), as a zod transform. */
export function fillAniSoapDefaults<H extends { mode: AniSoapMode; cutoff: number; switchWidth?: number | null | undefined }>(h: H): H {
  return h.mode === 'md' && (h.switchWidth ?? null) === null ? { ...h, switchWidth: h.cutoff * DEFAULT_SWITCH_FRACTION } : h;
}

function radialCount(lmax: number, mr: Fields['maxRadial'], l: number): number {
  if (mr === null) return Math.floor((lmax - l) / 2) + 1;
  if (typeof mr === 'number') return mr + 1;
  return mr[l]! + 1;
}

/**
 * The AniSOAP hyper-parameters (module doc): unknown keys are rejected (so that typos such as
 * `max_angular` do not pass silently), defaults are filled in, including the `'md'` switch width.
 */
export const AniSoapHypersSchema = z
  .strictObject(ANISOAP_HYPER_FIELDS, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown hyper-parameter ${iss.keys.map((k) => `'${k}'`).join(', ')}; allowed: ${Object.keys(ANISOAP_HYPER_FIELDS).join(', ')}`
        : `hypers must be an object, got ${show(iss.input)}`,
  })
  .superRefine(checkAniSoapHypers)
  .transform(fillAniSoapDefaults);

/** AniSOAP hyper-parameters, input form (see {@link AniSoapHypersSchema} for every field and its default). */
export type AniSoapHypers = z.input<typeof AniSoapHypersSchema>;

/** Validated hyper-parameters with every default filled in and derived counts (JSON-serialisable). */
export interface ResolvedAniSoapHypers {
  readonly maxAngular: number;
  /** N_l for l = 0…lmax. */
  readonly nPerL: readonly number[];
  /** The `maxRadial` given (for metadata and round trips). */
  readonly maxRadial: number | null | readonly number[];
  readonly radialBasis: 'gto' | 'monomial';
  /** σ for GTO, `null` for monomial. */
  readonly gaussianWidth: number | null;
  readonly cutoff: number;
  readonly subtractCenterContribution: boolean;
  readonly species: readonly number[];
  readonly basisRcond: number;
  readonly basisTol: number;
  readonly mode: AniSoapMode;
  /** w in `'md'` mode, `null` in `'package'` mode. */
  readonly switchWidth: number | null;
}

/** `E_CONFIG` error of the AniSOAP hypers (an {@link AnisoError}). */
class AniSoapConfigError extends AnisoError {
  constructor(msg: string) {
    super('E_CONFIG', `anisoap: ${msg}`);
  }
}

/**
 * Validate `h` with {@link AniSoapHypersSchema} and fill in defaults and the derived `nPerL`.
 * `extraKeys` lists keys the caller handles itself (e.g. `kind`, `threads`); they are ignored.
 * @throws AnisoError `E_CONFIG` naming the bad value and the allowed set.
 */
export function resolveAniSoapHypers(h: AniSoapHypers, extraKeys: readonly string[] = []): ResolvedAniSoapHypers {
  let input: unknown = h;
  if (extraKeys.length > 0 && typeof h === 'object' && h !== null) input = Object.fromEntries(Object.entries(h).filter(([k]) => !extraKeys.includes(k)));
  const parsed = AniSoapHypersSchema.safeParse(input);
  if (!parsed.success) throw new AniSoapConfigError(parsed.error.issues.map((i) => i.message).join('; '));
  const v = parsed.data;
  const mr = v.maxRadial;
  return {
    maxAngular: v.maxAngular,
    nPerL: Array.from({ length: v.maxAngular + 1 }, (_, l) => radialCount(v.maxAngular, mr, l)),
    maxRadial: Array.isArray(mr) ? [...mr] : mr,
    radialBasis: v.radialBasis,
    gaussianWidth: v.radialBasis === 'gto' ? v.gaussianWidth! : null,
    cutoff: v.cutoff,
    subtractCenterContribution: v.subtractCenterContribution,
    species: [...v.species],
    basisRcond: v.basisRcond,
    basisTol: v.basisTol,
    mode: v.mode,
    switchWidth: v.mode === 'md' ? v.switchWidth! : null,
  };
}
