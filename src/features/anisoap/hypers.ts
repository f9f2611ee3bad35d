// SPDX-License-Identifier: BSD-3-Clause
/**
 * Hyper-parameters of the AniSOAP calculator: ONE table ({@link ANISOAP_HYPER_TABLE}) holds their
 * names, types, ranges, defaults, documentation, units and error messages; the library
 * ({@link resolveAniSoapHypers}, validated here without any schema library, so that computing
 * features never loads one), the `featurize` flags, and the zod schema of the `train`
 * configuration and the JSON Schema (`hypers-schema.ts`) all derive from it.
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

/** AniSOAP hyper-parameters, input form (see {@link ANISOAP_HYPER_TABLE} for every field and its default). */
export interface AniSoapHypers {
  maxAngular: number;
  maxRadial?: number | readonly number[] | null;
  radialBasis?: 'gto' | 'monomial';
  gaussianWidth?: number | null;
  cutoff: number;
  subtractCenterContribution?: boolean;
  species: readonly number[];
  basisRcond?: number;
  basisTol?: number;
  mode?: AniSoapMode;
  switchWidth?: number | null;
}

/** The names of the hyper-parameters. */
export type AniSoapHyperKey = keyof AniSoapHypers;

/**
 * One hyper-parameter: its type (`kind`), range, default, documentation, unit, and the message of
 * any value that does not fit (given the offending input).
 * - `integer`, `number`: finite numbers (integers) with `min`/`max` (inclusive) or
 *   `positive` (> 0); `length` is a `number` with `positive` and the length unit.
 * - `enum`: one of `values`; `boolean`; `species`: a non-empty list of integers;
 *   `maxRadial`: null, an integer ≥ 0 or a list of integers ≥ 0.
 * A field with `fallback` takes it when absent; an `optional` one may be absent or null.
 */
export interface HyperField {
  readonly kind: 'integer' | 'number' | 'enum' | 'boolean' | 'species' | 'maxRadial';
  readonly description: string;
  readonly unit?: 'length';
  readonly min?: number;
  readonly max?: number;
  readonly positive?: boolean;
  readonly values?: readonly string[];
  readonly fallback?: unknown;
  readonly optional?: boolean;
  readonly message: (input: unknown) => string;
  /** For a list (`species`): the message of one bad entry. */
  readonly entryMessage?: (entry: unknown) => string;
}

/** A value as the messages show it (strings and lists as JSON). */
export const showHyperValue = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? JSON.stringify(v) : String(v));
const show = showHyperValue;
const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
const lengthMessage = (name: string) => (v: unknown) => `${name} = ${show(v)} must be a finite length > 0`;

/** The hyper-parameter table (module doc), in the order of flags, help and schemas. */
export const ANISOAP_HYPER_TABLE: Readonly<Record<AniSoapHyperKey, HyperField>> = Object.freeze({
  maxAngular: {
    kind: 'integer', min: 0, max: MAX_ANGULAR_LIMIT,
    description: 'lmax, the largest angular channel (package max_angular)',
    message: (v) => `maxAngular = ${show(v)} must be an integer in 0…${MAX_ANGULAR_LIMIT}`,
  },
  maxRadial: {
    kind: 'maxRadial', fallback: null,
    description: 'radial functions per l (package max_radial): null → N_l = ⌊(lmax − l)/2⌋ + 1; an integer nmax → N_l = nmax + 1; a list (lmax + 1 entries) → N_l = maxRadial[l] + 1',
    message: (v) => `maxRadial = ${show(v)} must be null, an integer ≥ 0, or a list of maxAngular + 1 integers ≥ 0`,
  },
  radialBasis: {
    kind: 'enum', values: ANISOAP_RADIAL_BASES, fallback: 'gto',
    description: 'radial basis (package radial_basis_name)',
    message: (v) => `radialBasis = ${show(v)} is not one of ${quoted(ANISOAP_RADIAL_BASES)}`,
  },
  gaussianWidth: {
    kind: 'number', positive: true, unit: 'length', optional: true,
    description: "GTO width σ (package radial_gaussian_width); required for radialBasis 'gto', not allowed for 'monomial'",
    message: lengthMessage('gaussianWidth'),
  },
  cutoff: {
    kind: 'number', positive: true, unit: 'length',
    description: 'cutoff rc on centre–centre distances (package cutoff_radius)',
    message: lengthMessage('cutoff'),
  },
  subtractCenterContribution: {
    kind: 'boolean', fallback: false,
    description: "leave out the centre's own Gaussian (package subtract_center_contribution)",
    message: (v) => `subtractCenterContribution = ${show(v)} must be true or false`,
  },
  species: {
    kind: 'species',
    description: 'species ids by type index (e.g. atomic numbers, 0 for X); every species gets a neighbour channel; distinct integers',
    message: (v) => `species must be a non-empty list of integer species ids (e.g. atomic numbers, 0 for X), got ${show(v)}`,
    entryMessage: (v) => `species entry ${show(v)} must be an integer id`,
  },
  basisRcond: {
    kind: 'number', min: 0, fallback: 0,
    description: 'eigenvalue floor of the Löwdin S^(−1/2) of the radial basis (package basis_rcond)',
    message: (v) => `basisRcond = ${show(v)} must be a finite number ≥ 0`,
  },
  basisTol: {
    kind: 'number', positive: true, fallback: 1e-8,
    description: 'tolerance of the Löwdin reconstruction check (package basis_tol)',
    message: (v) => `basisTol = ${show(v)} must be a number > 0`,
  },
  mode: {
    kind: 'enum', values: ANISOAP_MODES, fallback: 'package',
    description: "'package': the package's hard cutoff; 'md': smooth C2 switch to zero at the cutoff (for MD models)",
    message: (v) => `mode = ${show(v)} is not one of ${quoted(ANISOAP_MODES)}`,
  },
  switchWidth: {
    kind: 'number', positive: true, unit: 'length', optional: true,
    description: `switch width in mode 'md', in (0, cutoff]; default cutoff · ${DEFAULT_SWITCH_FRACTION}; not allowed in mode 'package'`,
    message: lengthMessage('switchWidth'),
  },
});

/** A validation problem: the field (or `''` for the whole object) and the message. */
export interface HyperIssue {
  readonly path: string;
  readonly message: string;
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Whether `v` is a valid value of `field` (absent and null handled by the caller). */
function fits(field: HyperField, v: unknown): boolean {
  switch (field.kind) {
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v) || (field.kind === 'integer' && !Number.isInteger(v))) return false;
      if (field.positive === true && !(v > 0)) return false;
      return (field.min === undefined || v >= field.min) && (field.max === undefined || v <= field.max);
    }
    case 'enum':
      return typeof v === 'string' && field.values!.includes(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'species':
      return Array.isArray(v) && v.length > 0 && v.every(isInteger);
    case 'maxRadial':
      return (isInteger(v) && v >= 0) || (Array.isArray(v) && v.every((x) => isInteger(x) && x >= 0));
  }
}

/** The message of the first bad entry of a list field (its `entryMessage`), or null. */
function entryIssue(field: HyperField, v: unknown): string | null {
  if (field.entryMessage === undefined || !Array.isArray(v)) return null;
  const bad = v.find((x) => !isInteger(x));
  return bad === undefined ? null : field.entryMessage(bad);
}

/**
 * Validate the fields of `input` against `table` (unknown keys refused, defaults filled in);
 * returns the completed fields, or the issues (one per bad field).
 */
export function validateHyperFields(
  input: unknown,
  table: Readonly<Record<string, HyperField>> = ANISOAP_HYPER_TABLE,
): { value: Record<string, unknown> | null; issues: HyperIssue[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { value: null, issues: [{ path: '', message: `hypers must be an object, got ${show(input)}` }] };
  }
  const given = input as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !Object.hasOwn(table, k));
  if (unknown.length > 0) {
    return { value: null, issues: [{ path: '', message: `unknown hyper-parameter ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${Object.keys(table).join(', ')}` }] };
  }
  const issues: HyperIssue[] = [];
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(table)) {
    const v = given[key];
    if (v === undefined) {
      if (field.fallback !== undefined) value[key] = field.fallback;
      else if (!field.optional) issues.push({ path: key, message: field.message(v) });
      continue;
    }
    if (v === null && (field.optional || field.kind === 'maxRadial')) {
      value[key] = null;
      continue;
    }
    if (!fits(field, v)) {
      issues.push({ path: key, message: entryIssue(field, v) ?? field.message(v) });
      continue;
    }
    value[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return { value: issues.length === 0 ? value : null, issues };
}

/** The fields the cross-field rules read. */
export interface HyperRuleInput {
  readonly maxAngular: number;
  readonly maxRadial: number | readonly number[] | null;
  readonly radialBasis: 'gto' | 'monomial';
  readonly gaussianWidth?: number | null | undefined;
  readonly cutoff: number;
  readonly mode: AniSoapMode;
  readonly switchWidth?: number | null | undefined;
  readonly species?: readonly number[] | undefined;
}

/**
 * The cross-field rules: GTO width present for `'gto'` and absent for `'monomial'`, `maxRadial`
 * list length and degree limit, switch width only in mode `'md'` and ≤ cutoff, distinct species.
 * `species` may be absent (configurations that take them from data). Returns the issues.
 */
export function aniSoapRuleIssues(h: HyperRuleInput): HyperIssue[] {
  const out: HyperIssue[] = [];
  const issue = (path: string, message: string) => out.push({ path, message });
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
  return out;
}

/** The switch-width default of mode `'md'` (`cutoff · DEFAULT_SWITCH_FRACTION`). */
export function fillAniSoapDefaults<H extends { mode: AniSoapMode; cutoff: number; switchWidth?: number | null | undefined }>(h: H): H {
  return h.mode === 'md' && (h.switchWidth ?? null) === null ? { ...h, switchWidth: h.cutoff * DEFAULT_SWITCH_FRACTION } : h;
}

function radialCount(lmax: number, mr: number | readonly number[] | null, l: number): number {
  if (mr === null) return Math.floor((lmax - l) / 2) + 1;
  if (typeof mr === 'number') return mr + 1;
  return mr[l]! + 1;
}

/**
 * Validate `input` (fields, then the cross-field rules) and fill in every default, the `'md'`
 * switch width included: the hypers as given by the table, or the issues.
 */
export function parseAniSoapHypers(input: unknown): { value: AniSoapHypers | null; issues: HyperIssue[] } {
  const fields = validateHyperFields(input);
  if (fields.value === null) return { value: null, issues: fields.issues };
  const h = fields.value as unknown as HyperRuleInput;
  const issues = aniSoapRuleIssues(h);
  return issues.length > 0 ? { value: null, issues } : { value: fillAniSoapDefaults(h) as unknown as AniSoapHypers, issues: [] };
}

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
 * Validate `h` ({@link parseAniSoapHypers}) and fill in defaults and the derived `nPerL`.
 * `extraKeys` lists keys the caller handles itself (e.g. `kind`, `threads`); they are ignored.
 * @throws AnisoError `E_CONFIG` naming the bad value and the allowed set.
 */
export function resolveAniSoapHypers(h: AniSoapHypers, extraKeys: readonly string[] = []): ResolvedAniSoapHypers {
  let input: unknown = h;
  if (extraKeys.length > 0 && typeof h === 'object' && h !== null) input = Object.fromEntries(Object.entries(h).filter(([k]) => !extraKeys.includes(k)));
  const parsed = parseAniSoapHypers(input);
  if (parsed.value === null) throw new AniSoapConfigError(parsed.issues.map((i) => i.message).join('; '));
  const v = parsed.value as Required<AniSoapHypers>;
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
