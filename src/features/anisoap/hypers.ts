// SPDX-License-Identifier: BSD-3-Clause
/**
 * Hyper-parameters of the AniSOAP calculator, their validation and defaults.
 *
 * Names follow featomic's camel-cased spirit; the AniSOAP package (`EllipsoidalDensityProjection`,
 * ANISOAP.md §7) equivalents are given for each field. Lengths share one unit (Å in anisodrive):
 * positions, cell, semi-axes, `cutoff`, `gaussianWidth`, `switchWidth`.
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

/**
 * AniSOAP hyper-parameters (input form; see {@link resolveAniSoapHypers} for defaults).
 *
 * Modes:
 * - `'package'` (default) reproduces the AniSOAP package (main@6b28869) exactly: pairs with centre
 *   distance `< cutoff` enter with weight 1 and leave discontinuously at the cutoff (no smoothing).
 *   A linear model on these features does not conserve energy in MD.
 * - `'md'` multiplies every pair contribution (of the ν = 1 coefficients) by the C2 quintic switch
 *   `S(r)` of {@link CutoffSwitch}, going from 1 at `cutoff − switchWidth` to 0 at `cutoff`, so
 *   that features, energies and forces are continuous. The self pair (r = 0) keeps weight 1.
 */
export interface AniSoapHypers {
  /** lmax, integer 0…15 (package `max_angular`). */
  maxAngular: number;
  /**
   * Radial functions per l (package `max_radial`): `null`/absent → `N_l = ⌊(lmax − l)/2⌋ + 1`;
   * an integer nmax → `N_l = nmax + 1`; a list (length lmax + 1) → `N_l = maxRadial[l] + 1`.
   */
  maxRadial?: number | null | readonly number[];
  /** `'gto'` or `'monomial'` (package `radial_basis_name`). */
  radialBasis: 'gto' | 'monomial';
  /** GTO width σ (length), required for `'gto'`, not allowed for `'monomial'` (package `radial_gaussian_width`). */
  gaussianWidth?: number;
  /** Cutoff rc on centre–centre distances (length), > 0 (package `cutoff_radius`). */
  cutoff: number;
  /** Leave out the centre's own Gaussian (package `subtract_center_contribution`, default `false`). */
  subtractCenterContribution?: boolean;
  /**
   * Species identifiers, one per type index: type t of a system is species `species[t]` (e.g. the
   * atomic number, 0 for `X`). Every species gets a neighbour channel. Distinct integers, at least one.
   */
  species: readonly number[];
  /** Eigenvalue floor of the Löwdin `S^{−1/2}` (package `basis_rcond`, default 0). */
  basisRcond?: number;
  /** Tolerance of the Löwdin reconstruction check (package `basis_tol`, default 1e-8). */
  basisTol?: number;
  /** `'package'` (default) or `'md'` (see above). */
  mode?: AniSoapMode;
  /** Switching width w (length) in `'md'` mode, in (0, cutoff]; required there, not allowed in `'package'` mode. */
  switchWidth?: number;
}

/** Validated hyper-parameters with every default filled in (JSON-serialisable). */
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

const KNOWN = new Set([
  'maxAngular', 'maxRadial', 'radialBasis', 'gaussianWidth', 'cutoff', 'subtractCenterContribution',
  'species', 'basisRcond', 'basisTol', 'mode', 'switchWidth',
]);

function fail(msg: string): never {
  throw new AniSoapConfigError(msg);
}

/** `E_CONFIG` error of the AniSOAP hypers (an {@link AnisoError}). */
class AniSoapConfigError extends AnisoError {
  constructor(msg: string) {
    super('E_CONFIG', `anisoap: ${msg}`);
  }
}

function positiveLength(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`${name} = ${String(v)} must be a finite length > 0`);
  return v;
}

/**
 * Validate `h` and fill in defaults. Unknown keys are rejected (so that typos such as `max_angular`
 * do not pass silently); `extraKeys` lists keys the caller handles itself (e.g. `kind`, `threads`).
 * @throws AnisoError `E_CONFIG` naming the bad value and the allowed set.
 */
export function resolveAniSoapHypers(h: AniSoapHypers, extraKeys: readonly string[] = []): ResolvedAniSoapHypers {
  if (typeof h !== 'object' || h === null) fail(`hypers must be an object, got ${String(h)}`);
  for (const key of Object.keys(h)) {
    if (!KNOWN.has(key) && !extraKeys.includes(key)) {
      fail(`unknown hyper-parameter '${key}'; allowed: ${[...KNOWN, ...extraKeys].join(', ')}`);
    }
  }
  const lmax = h.maxAngular;
  if (typeof lmax !== 'number' || !Number.isInteger(lmax) || lmax < 0 || lmax > MAX_ANGULAR_LIMIT) {
    fail(`maxAngular = ${String(lmax)} must be an integer in 0…${MAX_ANGULAR_LIMIT}`);
  }
  const mr = h.maxRadial ?? null;
  const nPerL: number[] = [];
  for (let l = 0; l <= lmax; l++) {
    let nl: number;
    if (mr === null) nl = Math.floor((lmax - l) / 2) + 1;
    else if (typeof mr === 'number') {
      if (!Number.isInteger(mr) || mr < 0) fail(`maxRadial = ${mr} must be null, an integer ≥ 0, or a list of ${lmax + 1} integers ≥ 0`);
      nl = mr + 1;
    } else if (Array.isArray(mr)) {
      if (mr.length !== lmax + 1) fail(`maxRadial has ${mr.length} entries; a list needs exactly maxAngular + 1 = ${lmax + 1}`);
      const v = mr[l];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`maxRadial[${l}] = ${String(v)} must be an integer ≥ 0`);
      nl = v + 1;
    } else {
      fail(`maxRadial = ${JSON.stringify(mr)} must be null, an integer ≥ 0, or a list of ${lmax + 1} integers ≥ 0`);
    }
    if (l + 2 * (nl - 1) > MAX_DEGREE_LIMIT) {
      fail(`l + 2·(N_l − 1) = ${l + 2 * (nl - 1)} for l = ${l} exceeds the supported degree ${MAX_DEGREE_LIMIT}; lower maxRadial`);
    }
    nPerL.push(nl);
  }
  const basis = h.radialBasis;
  if (basis !== 'gto' && basis !== 'monomial') {
    fail(`radialBasis = ${JSON.stringify(basis)} is not one of ${ANISOAP_RADIAL_BASES.map((b) => `'${b}'`).join(', ')}`);
  }
  let sigma: number | null = null;
  if (basis === 'gto') sigma = positiveLength('gaussianWidth (required for radialBasis \'gto\')', h.gaussianWidth);
  else if (h.gaussianWidth !== undefined && h.gaussianWidth !== null) {
    fail(`gaussianWidth = ${h.gaussianWidth} is not allowed with radialBasis 'monomial' (the package rejects it too)`);
  }
  const cutoff = positiveLength('cutoff', h.cutoff);
  const sub = h.subtractCenterContribution ?? false;
  if (typeof sub !== 'boolean') fail(`subtractCenterContribution = ${String(sub)} must be true or false`);
  const species = h.species;
  if (!Array.isArray(species) || species.length === 0) fail(`species must be a non-empty list of integer species ids (e.g. atomic numbers, 0 for X), got ${JSON.stringify(species)}`);
  const seen = new Set<number>();
  for (const s of species) {
    if (typeof s !== 'number' || !Number.isInteger(s)) fail(`species entry ${JSON.stringify(s)} must be an integer id`);
    if (seen.has(s)) fail(`species ${s} is listed twice in ${JSON.stringify(species)}`);
    seen.add(s);
  }
  const rcond = h.basisRcond ?? 0;
  if (typeof rcond !== 'number' || !Number.isFinite(rcond) || rcond < 0) fail(`basisRcond = ${String(rcond)} must be a finite number ≥ 0`);
  const tol = h.basisTol ?? 1e-8;
  if (typeof tol !== 'number' || !(tol > 0)) fail(`basisTol = ${String(tol)} must be a number > 0`);
  const mode = h.mode ?? 'package';
  if (mode !== 'package' && mode !== 'md') fail(`mode = ${JSON.stringify(mode)} is not one of ${ANISOAP_MODES.map((m) => `'${m}'`).join(', ')}`);
  let switchWidth: number | null = null;
  if (mode === 'md') {
    switchWidth = positiveLength(`switchWidth (required in mode 'md')`, h.switchWidth);
    if (switchWidth > cutoff) fail(`switchWidth = ${switchWidth} must be in (0, cutoff = ${cutoff}]`);
  } else if (h.switchWidth !== undefined && h.switchWidth !== null) {
    fail(`switchWidth = ${h.switchWidth} is only used in mode 'md'; mode 'package' has a hard cutoff (allowed modes: ${ANISOAP_MODES.join(', ')})`);
  }
  return {
    maxAngular: lmax,
    nPerL,
    maxRadial: Array.isArray(mr) ? [...mr] : mr,
    radialBasis: basis,
    gaussianWidth: sigma,
    cutoff,
    subtractCenterContribution: sub,
    species: [...species],
    basisRcond: rcond,
    basisTol: tol,
    mode,
    switchWidth,
  };
}
