// SPDX-License-Identifier: BSD-3-Clause
/**
 * Hyper-parameters of the two-centre (pair) feature calculator (`docs/PAIR_FEATURES.md`): their
 * input form, the checks (plain code, no schema library, so that computing features never loads
 * one), the defaults, and the resolved form the calculator uses. The zod schema of the registry
 * (`kind.ts`) reports the same messages through {@link pairHyperIssues}.
 *
 * Lengths share one unit (Å in anisodrive, the model's unit in a model file): `cutoff`,
 * `switchWidth`, `shape`, `radialMin`, `radialScale`. The switch is always on (the calculator is
 * made for MD): every pair term is multiplied by the C2 switch of `core/cutoff-switch.ts` on
 * `[cutoff − switchWidth, cutoff]`.
 */
import { AnisoError } from '../../core/errors.js';

/** Particle symmetries; only `'uniaxial'` is implemented (biaxial particles are refused). */
export const PAIR_SYMMETRIES: readonly ('uniaxial' | 'biaxial')[] = Object.freeze(['uniaxial', 'biaxial'] as ('uniaxial' | 'biaxial')[]);
/** Radial coordinates: the contact-shifted distance ξ, or the bare centre distance r (ablation). */
export const PAIR_RADIAL_COORDINATES: readonly ('contact' | 'distance')[] = Object.freeze(['contact', 'distance'] as ('contact' | 'distance')[]);
/** Radial functions: Gaussians (`gaussian-grid.ts`) or compactly supported cubic B-splines (`spline-grid.ts`), both on a grid in t(ξ). */
export const PAIR_RADIAL_BASES: readonly ('gaussian' | 'spline')[] = Object.freeze(['gaussian', 'spline'] as ('gaussian' | 'spline')[]);
/** Largest supported `maxDegree`. */
export const PAIR_MAX_DEGREE_LIMIT = 12;
/** Largest supported `nRadial`. */
export const PAIR_MAX_RADIAL_LIMIT = 64;
/** Default switch width as a fraction of the cutoff. */
export const PAIR_DEFAULT_SWITCH_FRACTION = 0.25;
/** Default innermost radial centre as a fraction of σ0 (the short diameter). */
export const PAIR_DEFAULT_RADIAL_MIN_FRACTION = 0.5;
/** Default λ of the radial coordinate as a fraction of σ0. */
export const PAIR_DEFAULT_RADIAL_SCALE_FRACTION = 0.5;
/** Relative tolerance under which two semi-axes count as equal. */
export const SHAPE_EQUAL_TOLERANCE = 1e-9;

/** Pair-feature hyper-parameters, input form (optional fields take the defaults of {@link PAIR_DEFAULTS}). */
export interface PairHypers {
  /** Species ids by type index (e.g. atomic numbers, 0 for X); distinct integers. */
  species: readonly number[];
  /** Cutoff on the centre distance (length), > 0. */
  cutoff: number;
  /** Width of the switch (length) in (0, cutoff]; default `cutoff · 0.25`. */
  switchWidth?: number | null;
  /** Declared semi-axes `[a, b, c]` along body x, y, z (length, each > 0): the shape of σ_c. */
  shape: readonly number[];
  /** Declared symmetry of the particles: `'uniaxial'` (default); `'biaxial'` is refused for now. */
  symmetry?: 'uniaxial' | 'biaxial';
  /** Head–tail symmetric particles (u → −u changes nothing); default true. */
  headTail?: boolean;
  /** Largest degree `p + q + 2s` of the angular monomials `a_i^p a_j^q c^s`, 0…12; default 4. */
  maxDegree?: number;
  /**
   * Largest degree `p + q` in the projections `a_i = u_i·r̂`, `a_j = u_j·r̂`, 0…maxDegree; default
   * (absent or null) `maxDegree`. Lowering it keeps the high powers of `c = u_i·u_j`, which the
   * alignment dependence of elongated particles needs, without the many mixed terms.
   */
  maxProjectionDegree?: number | null;
  /** Radial functions per angular function, 1…64; default 8. */
  nRadial?: number;
  /**
   * `'gaussian'` (default): Gaussians evenly spaced in t(ξ); `'spline'`: uniform cubic B-splines
   * in t(ξ) on the same grid (4 non-zero per pair, one exponential; faster, `docs/PAIR_FEATURES.md` §3).
   */
  radialBasis?: 'gaussian' | 'spline';
  /** `'contact'` (default): radial functions of ξ = r − σ_c + σ0; `'distance'`: of r. */
  radialCoordinate?: 'contact' | 'distance';
  /** ξ of the innermost radial centre (length, finite, < cutoff); default σ0 / 2. */
  radialMin?: number | null;
  /** λ of the radial coordinate t = exp(−(ξ − σ0)/λ) (length, > 0); default σ0 / 2. */
  radialScale?: number | null;
  /** Width of the radial Gaussians over the spacing of their centres (dimensionless, > 0); default 1; not used by `'spline'`. */
  radialOverlap?: number;
}

/** The input keys, in the order of listings and schemas. */
export const PAIR_HYPER_KEYS: readonly (keyof PairHypers)[] = Object.freeze([
  'species', 'cutoff', 'switchWidth', 'shape', 'symmetry', 'headTail', 'maxDegree', 'maxProjectionDegree', 'nRadial',
  'radialBasis', 'radialCoordinate', 'radialMin', 'radialScale', 'radialOverlap',
] as (keyof PairHypers)[]);

/** Defaults of the optional fields that do not depend on others. */
export const PAIR_DEFAULTS = Object.freeze({
  symmetry: 'uniaxial' as const,
  headTail: true,
  maxDegree: 4,
  nRadial: 8,
  radialBasis: 'gaussian' as const,
  radialCoordinate: 'contact' as const,
  radialOverlap: 1,
});

/** Validated hyper-parameters with every default filled in (JSON-serialisable, the model file's form). */
export interface ResolvedPairHypers {
  readonly species: readonly number[];
  readonly cutoff: number;
  readonly switchWidth: number;
  readonly shape: readonly [number, number, number];
  readonly symmetry: 'uniaxial';
  readonly headTail: boolean;
  readonly maxDegree: number;
  readonly maxProjectionDegree: number;
  readonly nRadial: number;
  readonly radialBasis: 'gaussian' | 'spline';
  readonly radialCoordinate: 'contact' | 'distance';
  readonly radialMin: number;
  readonly radialScale: number;
  readonly radialOverlap: number;
}

/** The uniaxial shape read from `shape`: the distinct body axis, σ0 = d and χ. */
export interface UniaxialShape {
  /** Body axis (0 = x, 1 = y, 2 = z) of the distinct semi-axis. */
  readonly axis: 0 | 1 | 2;
  /** Length `l = 2 ·` the distinct semi-axis (length). */
  readonly length: number;
  /** Breadth `d = 2 ·` the two equal semi-axes (length); also σ0. */
  readonly breadth: number;
  /** `χ = (l² − d²) / (l² + d²)`, in (−1, 1): > 0 prolate, < 0 oblate. */
  readonly chi: number;
}

/** A validation problem: the field (or `''` for the whole object) and the message. */
export interface PairHyperIssue {
  readonly path: string;
  readonly message: string;
}

const show = (v: unknown): string => (typeof v === 'string' || Array.isArray(v) ? JSON.stringify(v) : String(v));
const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isLength = (v: unknown): v is number => isFiniteNumber(v) && v > 0;
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** The messages of each field, shared with the zod schema of `kind.ts`. */
export const PAIR_FIELD_MESSAGES = Object.freeze({
  species: (v: unknown) => `species must be a non-empty list of distinct integer species ids (e.g. atomic numbers, 0 for X), got ${show(v)}`,
  cutoff: (v: unknown) => `cutoff = ${show(v)} must be a finite length > 0`,
  switchWidth: (v: unknown) => `switchWidth = ${show(v)} must be a finite length > 0 (at most the cutoff)`,
  shape: (v: unknown) => `shape = ${show(v)} must be 3 semi-axes [a, b, c] along body x, y, z, each a finite length > 0`,
  symmetry: (v: unknown) => `symmetry = ${show(v)} is not one of ${quoted(PAIR_SYMMETRIES)}`,
  headTail: (v: unknown) => `headTail = ${show(v)} must be true or false`,
  maxDegree: (v: unknown) => `maxDegree = ${show(v)} must be an integer in 0…${PAIR_MAX_DEGREE_LIMIT}`,
  maxProjectionDegree: (v: unknown) => `maxProjectionDegree = ${show(v)} must be an integer in 0…maxDegree (the largest p + q)`,
  nRadial: (v: unknown) => `nRadial = ${show(v)} must be an integer in 1…${PAIR_MAX_RADIAL_LIMIT}`,
  radialBasis: (v: unknown) => `radialBasis = ${show(v)} is not one of ${quoted(PAIR_RADIAL_BASES)}`,
  radialCoordinate: (v: unknown) => `radialCoordinate = ${show(v)} is not one of ${quoted(PAIR_RADIAL_COORDINATES)}`,
  radialMin: (v: unknown) => `radialMin = ${show(v)} must be a finite length (the innermost radial centre, below the cutoff)`,
  radialScale: (v: unknown) => `radialScale = ${show(v)} must be a finite length > 0`,
  radialOverlap: (v: unknown) => `radialOverlap = ${show(v)} must be a finite number > 0 (Gaussian width over centre spacing)`,
});

/**
 * The uniaxial reading of semi-axes `shape` (two equal, one distinct), or the reason it has none.
 * @returns the shape, or a message naming the semi-axes
 */
export function uniaxialShape(shape: readonly number[]): UniaxialShape | string {
  const [a, b, c] = shape as [number, number, number];
  const eq = (x: number, y: number) => Math.abs(x - y) <= SHAPE_EQUAL_TOLERANCE * Math.max(x, y);
  const ab = eq(a, b), bc = eq(b, c), ac = eq(a, c);
  if (ab && bc) {
    return `shape = ${show(shape)} is a sphere (three equal semi-axes); 'uniaxial' needs one semi-axis that differs from the other two`;
  }
  if (!ab && !bc && !ac) {
    return `shape = ${show(shape)} has three different semi-axes (a biaxial particle); 'uniaxial' needs two equal semi-axes, and symmetry 'biaxial' is not implemented yet`;
  }
  const axis: 0 | 1 | 2 = ab ? 2 : bc ? 0 : 1;
  const distinct = shape[axis]!, equal = shape[(axis + 1) % 3]!;
  const l = 2 * distinct, d = 2 * equal;
  return { axis, length: l, breadth: d, chi: (l * l - d * d) / (l * l + d * d) };
}

/**
 * Every problem of `input` as pair hypers (unknown keys, field types and ranges, cross-field rules).
 * `species` may be absent when `withSpecies` is false (train configurations, whose species come
 * from the data).
 */
export function pairHyperIssues(input: unknown, withSpecies = true): PairHyperIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ path: '', message: `pair hypers must be an object, got ${show(input)}` }];
  }
  const h = input as Record<string, unknown>;
  const allowed = withSpecies ? PAIR_HYPER_KEYS : PAIR_HYPER_KEYS.filter((k) => k !== 'species');
  const unknown = Object.keys(h).filter((k) => !(allowed as readonly string[]).includes(k));
  if (unknown.length > 0) {
    return [{ path: '', message: `unknown hyper-parameter ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${allowed.join(', ')}` }];
  }
  const out: PairHyperIssue[] = [];
  const issue = (path: keyof PairHypers, message: string) => out.push({ path, message });
  const m = PAIR_FIELD_MESSAGES;
  if (withSpecies) {
    const s = h.species;
    if (!Array.isArray(s) || s.length === 0 || !s.every(isInteger)) issue('species', m.species(s));
    else if (new Set(s).size !== s.length) issue('species', `species ${show(s)} lists an id twice; ids must be distinct`);
  }
  if (!isLength(h.cutoff)) issue('cutoff', m.cutoff(h.cutoff));
  const sw = h.switchWidth;
  if (sw !== undefined && sw !== null) {
    if (!isLength(sw)) issue('switchWidth', m.switchWidth(sw));
    else if (isLength(h.cutoff) && sw > h.cutoff) issue('switchWidth', `switchWidth = ${sw} must be in (0, cutoff = ${h.cutoff}] (length)`);
  }
  const shape = h.shape;
  const shapeOk = Array.isArray(shape) && shape.length === 3 && shape.every(isLength);
  if (!shapeOk) issue('shape', m.shape(shape));
  const sym = h.symmetry;
  if (sym !== undefined && !(PAIR_SYMMETRIES as readonly unknown[]).includes(sym)) issue('symmetry', m.symmetry(sym));
  else if (sym === 'biaxial') {
    issue('symmetry', "symmetry 'biaxial' is not implemented yet: the pair features handle uniaxial particles (two equal semi-axes) only; see docs/PAIR_FEATURES.md");
  } else if (shapeOk) {
    const u = uniaxialShape(shape as number[]);
    if (typeof u === 'string') issue('shape', u);
  }
  if (h.headTail !== undefined && typeof h.headTail !== 'boolean') issue('headTail', m.headTail(h.headTail));
  const md = h.maxDegree;
  if (md !== undefined && !(isInteger(md) && md >= 0 && md <= PAIR_MAX_DEGREE_LIMIT)) issue('maxDegree', m.maxDegree(md));
  const mp = h.maxProjectionDegree;
  if (mp !== undefined && mp !== null) {
    const top = isInteger(md) && md >= 0 && md <= PAIR_MAX_DEGREE_LIMIT ? md : md === undefined ? PAIR_DEFAULTS.maxDegree : PAIR_MAX_DEGREE_LIMIT;
    if (!(isInteger(mp) && mp >= 0 && mp <= top)) issue('maxProjectionDegree', `maxProjectionDegree = ${show(mp)} must be an integer in 0…maxDegree = ${top} (the largest p + q)`);
  }
  const nr = h.nRadial;
  if (nr !== undefined && !(isInteger(nr) && nr >= 1 && nr <= PAIR_MAX_RADIAL_LIMIT)) issue('nRadial', m.nRadial(nr));
  const rb = h.radialBasis;
  if (rb !== undefined && !(PAIR_RADIAL_BASES as readonly unknown[]).includes(rb)) issue('radialBasis', m.radialBasis(rb));
  const rcoord = h.radialCoordinate;
  if (rcoord !== undefined && !(PAIR_RADIAL_COORDINATES as readonly unknown[]).includes(rcoord)) issue('radialCoordinate', m.radialCoordinate(rcoord));
  const rmin = h.radialMin;
  if (rmin !== undefined && rmin !== null) {
    if (!isFiniteNumber(rmin)) issue('radialMin', m.radialMin(rmin));
    else if (isLength(h.cutoff) && rmin >= h.cutoff) issue('radialMin', `radialMin = ${rmin} must be below the cutoff = ${h.cutoff} (length)`);
  }
  const rs = h.radialScale;
  if (rs !== undefined && rs !== null && !isLength(rs)) issue('radialScale', m.radialScale(rs));
  const ro = h.radialOverlap;
  if (ro !== undefined && !isLength(ro)) issue('radialOverlap', m.radialOverlap(ro));
  return out;
}

/**
 * Fill in every default of valid hypers (`switchWidth`, `radialMin`, `radialScale` included), so
 * that a model file records the numbers the features were computed with. `species` is kept when
 * present. The input must be free of issues ({@link pairHyperIssues}).
 */
export function fillPairDefaults<H extends Record<string, unknown>>(h: H): H & Omit<ResolvedPairHypers, 'species'> {
  const cutoff = h.cutoff as number;
  const shape = h.shape as readonly number[];
  const u = uniaxialShape(shape) as UniaxialShape;
  return {
    ...h,
    cutoff,
    switchWidth: (h.switchWidth as number | null | undefined) ?? cutoff * PAIR_DEFAULT_SWITCH_FRACTION,
    shape: [shape[0]!, shape[1]!, shape[2]!] as const,
    symmetry: 'uniaxial' as const,
    headTail: (h.headTail as boolean | undefined) ?? PAIR_DEFAULTS.headTail,
    maxDegree: (h.maxDegree as number | undefined) ?? PAIR_DEFAULTS.maxDegree,
    maxProjectionDegree: (h.maxProjectionDegree as number | null | undefined) ?? (h.maxDegree as number | undefined) ?? PAIR_DEFAULTS.maxDegree,
    nRadial: (h.nRadial as number | undefined) ?? PAIR_DEFAULTS.nRadial,
    radialBasis: (h.radialBasis as 'gaussian' | 'spline' | undefined) ?? PAIR_DEFAULTS.radialBasis,
    radialCoordinate: (h.radialCoordinate as 'contact' | 'distance' | undefined) ?? PAIR_DEFAULTS.radialCoordinate,
    radialMin: (h.radialMin as number | null | undefined) ?? PAIR_DEFAULT_RADIAL_MIN_FRACTION * u.breadth,
    radialScale: (h.radialScale as number | null | undefined) ?? PAIR_DEFAULT_RADIAL_SCALE_FRACTION * u.breadth,
    radialOverlap: (h.radialOverlap as number | undefined) ?? PAIR_DEFAULTS.radialOverlap,
  };
}

/**
 * Validate `input` and fill in every default.
 * @throws AnisoError `E_CONFIG` listing every problem (each names the bad value and its unit).
 */
export function resolvePairHypers(input: unknown): ResolvedPairHypers {
  const issues = pairHyperIssues(input);
  if (issues.length > 0) throw new AnisoError('E_CONFIG', `pair: ${issues.map((i) => i.message).join('; ')}`);
  const h = fillPairDefaults(input as Record<string, unknown>);
  return {
    species: [...(h.species as number[])],
    cutoff: h.cutoff,
    switchWidth: h.switchWidth,
    shape: h.shape,
    symmetry: h.symmetry,
    headTail: h.headTail,
    maxDegree: h.maxDegree,
    maxProjectionDegree: h.maxProjectionDegree,
    nRadial: h.nRadial,
    radialBasis: h.radialBasis,
    radialCoordinate: h.radialCoordinate,
    radialMin: h.radialMin,
    radialScale: h.radialScale,
    radialOverlap: h.radialOverlap,
  };
}
