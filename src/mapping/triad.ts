// SPDX-License-Identifier: BSD-3-Clause
/**
 * Triad mapping: three sites carry one ellipsoid with a full (biaxial) body frame.
 *
 * ## Frame (Gram–Schmidt)
 * With `primary = [p0, p1]` and `secondary = [s0, s1]` (site roles within the group, defaults
 * `[0, 1]` and `[0, 2]`) and minimum-image site vectors:
 * - `a = r_{p1} − r_{p0}`, `f1 = a / |a|`;
 * - `b = r_{s1} − r_{s0}`, `v = b − (b·f1) f1`, `f2 = v / |v|`;
 * - `f3 = f1 × f2`.
 *
 * The lab frame `(f1, f2, f3)` is matched to body-frame vectors `(β1, β2, β3)`, `R = Σ_k f_k β_kᵀ`:
 * - **axis mode** (no `geometry`): `β1` is the body axis `primaryAxis` (default z), `β2` the body
 *   axis `secondaryAxis` (default x), `β3 = β1 × β2` (± the third axis). With the defaults: body z
 *   along `r_1 − r_0`, body x in the plane of the three sites, towards site 2, and y = z × x.
 * - **geometry mode** (`geometry` = body coordinates of the three sites): `β_k` is the same
 *   construction applied to the body coordinates, so that the body frame is the frame in which
 *   `geometry` is written and a rigid triad in that geometry maps to exactly the rotation that
 *   places it.
 *
 * The centre is `c = Σ_s w_s r_s` (`w_s = m_s / M`, equal by default).
 *
 * ## Backward (exact Jacobian)
 * For an infinitesimal rotation `δθ` of an orthonormal right-handed frame, `δf_k = δθ × f_k`, so
 * `δθ·f1 = δf2·f3`, `δθ·f2 = −δf1·f3`, `δθ·f3 = δf1·f2`. Differentiating the construction,
 * `δf1 = (1 − f1 f1ᵀ) δa / |a|` and `f3·δf2 = f3·δv / |v| = (f3·δb − (b·f1)(f3·δa)/|a|) / |v|`:
 *
 *   `δθ = f1 (f3·δb − (b·f1)(f3·δa)/|a|) / |v| − f2 (f3·δa)/|a| + f3 (f2·δa)/|a|`.
 *
 * With `τ_k = τ·f_k`, `τ·δθ = g_a·δa + g_b·δb` where
 * `g_b = (τ1 / |v|) f3` and `g_a = (τ3 f2 − (τ2 + τ1 (b·f1)/|v|) f3) / |a|`, so the rotational
 * site forces are `F_{p1} += g_a`, `F_{p0} −= g_a`, `F_{s1} += g_b`, `F_{s0} −= g_b`.
 * The body-frame vectors `β_k` are constant, so `R = G(sites) · const` rotates by the same `δθ`.
 */
import { AnisoError } from '../core/errors.js';
import { quatFromMatrix } from '../core/quaternion.js';
import {
  GroupedSiteMapping,
  parseMasses,
  parseSemiaxes,
  parseTolerance,
  type GroupLayoutOptions,
} from './grouped-mapping.js';

/** A body axis name. */
export type BodyAxis = 'x' | 'y' | 'z';

/** Options of {@link TriadMapping}. */
export interface TriadMappingOptions extends GroupLayoutOptions {
  /** Semi-axes (body x, y, z, Å): 3 numbers, or 3 per ellipsoid type (row t for type t). */
  semiaxes: ArrayLike<number>;
  /** Masses of sites 0, 1, 2 (amu) weighting the centre; default equal. */
  masses?: ArrayLike<number>;
  /** Site pair `[from, to]` (roles 0…2) whose vector is the first frame vector `f1`. Default `[0, 1]`. */
  primary?: readonly [number, number];
  /** Site pair `[from, to]` whose vector, orthogonalised against `f1`, is `f2`. Default `[0, 2]`. */
  secondary?: readonly [number, number];
  /** Body axis along `f1` (axis mode only). Default `'z'`. */
  primaryAxis?: BodyAxis;
  /** Body axis along `f2` (axis mode only; must differ from `primaryAxis`). Default `'x'`. */
  secondaryAxis?: BodyAxis;
  /**
   * Body-frame coordinates of sites 0, 1, 2 (9 numbers, site-major, Å); selects geometry mode (then
   * `primaryAxis`/`secondaryAxis` must be absent). They are re-centred on the weighted centre.
   * Also fixes the sites for {@link TriadMapping.toSites} and restraints.
   */
  geometry?: ArrayLike<number>;
  /** `|a|` at or below this (Å) is a coincident primary pair: `E_MAPPING`. Default 1e-6 Å. */
  minLength?: number;
  /** `|v| / |b|` at or below this is a collinear triad: `E_MAPPING`. Default 1e-6. */
  minSine?: number;
}

const AXES: readonly BodyAxis[] = ['x', 'y', 'z'];

function parsePair(name: string, value: readonly [number, number] | undefined, fallback: [number, number]): [number, number] {
  if (value === undefined) return fallback;
  const ok =
    value.length === 2 &&
    Number.isInteger(value[0]) && Number.isInteger(value[1]) &&
    value[0] >= 0 && value[0] <= 2 && value[1] >= 0 && value[1] <= 2 && value[0] !== value[1];
  if (!ok) {
    throw new AnisoError('E_CONFIG', `triad mapping: '${name}' = [${Array.from(value).join(', ')}], needs two different site roles in {0, 1, 2}`);
  }
  return [value[0], value[1]];
}

/**
 * The Gram–Schmidt frame of `a`, `b` (at `x[ia]`, `x[ib]`): writes `f1, f2, f3` to `out[0..8]`
 * (site-major rows) and returns `[|a|, |v|, b·f1, |b|]` in `info`.
 */
function gramSchmidt(a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number, out: Float64Array, info: Float64Array): void {
  const ax = a[ia]!, ay = a[ia + 1]!, az = a[ia + 2]!;
  const la = Math.hypot(ax, ay, az);
  const f1x = ax / la, f1y = ay / la, f1z = az / la;
  const bx = b[ib]!, by = b[ib + 1]!, bz = b[ib + 2]!;
  const bf = bx * f1x + by * f1y + bz * f1z;
  const vx = bx - bf * f1x, vy = by - bf * f1y, vz = bz - bf * f1z;
  const lv = Math.hypot(vx, vy, vz);
  const f2x = vx / lv, f2y = vy / lv, f2z = vz / lv;
  out[0] = f1x; out[1] = f1y; out[2] = f1z;
  out[3] = f2x; out[4] = f2y; out[5] = f2z;
  out[6] = f1y * f2z - f1z * f2y;
  out[7] = f1z * f2x - f1x * f2z;
  out[8] = f1x * f2y - f1y * f2x;
  info[0] = la; info[1] = lv; info[2] = bf; info[3] = Math.hypot(bx, by, bz);
}

/** Three sites → centre + full body frame. See the module doc for the frame convention. */
export class TriadMapping extends GroupedSiteMapping {
  /** Site roles defining `f1`. */
  readonly primary: readonly [number, number];
  /** Site roles defining `f2`. */
  readonly secondary: readonly [number, number];
  /** Body-frame vectors `β1, β2, β3` (rows, 9). */
  private readonly beta: Float64Array;
  /** Centred body-frame site coordinates (9, Å) in geometry mode, else `null`. */
  private readonly geometry: Float64Array | null;
  private readonly minLength: number;
  private readonly minSine: number;
  private readonly pairA = new Float64Array(6);

  /** Validates options (`E_CONFIG` naming the bad value). */
  constructor(options: TriadMappingOptions) {
    super('triad', 3, parseMasses('triad', options.masses, 3), parseSemiaxes('triad', options.semiaxes), options);
    this.primary = parsePair('primary', options.primary, [0, 1]);
    this.secondary = parsePair('secondary', options.secondary, [0, 2]);
    const [p0, p1] = this.primary, [s0, s1] = this.secondary;
    if ((p0 === s0 && p1 === s1) || (p0 === s1 && p1 === s0)) {
      throw new AnisoError('E_CONFIG', `triad mapping: 'primary' [${p0}, ${p1}] and 'secondary' [${s0}, ${s1}] are the same pair`);
    }
    this.minLength = parseTolerance('triad', 'minLength', options.minLength, 1e-6);
    this.minSine = parseTolerance('triad', 'minSine', options.minSine, 1e-6);
    this.beta = new Float64Array(9);
    if (options.geometry !== undefined) {
      if (options.primaryAxis !== undefined || options.secondaryAxis !== undefined) {
        throw new AnisoError(
          'E_CONFIG',
          `triad mapping: 'geometry' fixes the body frame; remove 'primaryAxis'/'secondaryAxis' (got ${options.primaryAxis}, ${options.secondaryAxis})`,
        );
      }
      const g = Float64Array.from(options.geometry);
      if (g.length !== 9 || g.some((x) => !Number.isFinite(x))) {
        throw new AnisoError('E_CONFIG', `triad mapping: 'geometry' needs 9 finite numbers (3 sites × xyz, Å), got ${g.length}`);
      }
      const w = this.weights;
      for (let d = 0; d < 3; d++) {
        const c = w[0]! * g[d]! + w[1]! * g[3 + d]! + w[2]! * g[6 + d]!;
        for (let s = 0; s < 3; s++) g[3 * s + d] = g[3 * s + d]! - c;
      }
      const ab = new Float64Array(6);
      for (let d = 0; d < 3; d++) {
        ab[d] = g[3 * p1 + d]! - g[3 * p0 + d]!;
        ab[3 + d] = g[3 * s1 + d]! - g[3 * s0 + d]!;
      }
      const info = new Float64Array(4);
      gramSchmidt(ab, 0, ab, 3, this.beta, info);
      if (!(info[0]! > this.minLength) || !(info[1]! > this.minSine * info[3]!)) {
        throw new AnisoError(
          'E_CONFIG',
          `triad mapping: 'geometry' [${Array.from(options.geometry).join(', ')}] Å is degenerate (coincident or collinear sites)`,
        );
      }
      this.geometry = g;
    } else {
      const pa = options.primaryAxis ?? 'z', sa = options.secondaryAxis ?? 'x';
      const ip = AXES.indexOf(pa), is = AXES.indexOf(sa);
      if (ip < 0 || is < 0 || ip === is) {
        throw new AnisoError(
          'E_CONFIG',
          `triad mapping: 'primaryAxis' = ${pa}, 'secondaryAxis' = ${sa}; need two different axes of x, y, z`,
        );
      }
      const it = 3 - ip - is;
      const sign = (ip + 1) % 3 === is ? 1 : -1; // (primary, secondary, third) cyclic ⇒ β3 = +e_third
      this.beta[ip] = 1;
      this.beta[3 + is] = 1;
      this.beta[6 + it] = sign;
      this.geometry = null;
    }
  }

  /** Frame of the current group into `scratchFrame`, info into `scratchInfo`; throws if degenerate. */
  private frame(i: number): void {
    const rel = this.rel, ab = this.pairA;
    const [p0, p1] = this.primary, [s0, s1] = this.secondary;
    for (let d = 0; d < 3; d++) {
      ab[d] = rel[3 * p1 + d]! - rel[3 * p0 + d]!;
      ab[3 + d] = rel[3 * s1 + d]! - rel[3 * s0 + d]!;
    }
    gramSchmidt(ab, 0, ab, 3, scratchFrame, scratchInfo);
    const la = scratchInfo[0]!, lv = scratchInfo[1]!, lb = scratchInfo[3]!;
    if (!(la > this.minLength)) {
      throw new AnisoError(
        'E_MAPPING',
        `triad mapping: ellipsoid ${i} (sites ${this.groupSites(i)}) has coincident primary sites ` +
          `(separation ${la} Å ≤ minLength ${this.minLength} Å); its body frame is undefined`,
      );
    }
    if (!(lv > this.minSine * lb) || !(lb > this.minLength)) {
      throw new AnisoError(
        'E_MAPPING',
        `triad mapping: ellipsoid ${i} (sites ${this.groupSites(i)}) is collinear ` +
          `(sine ${lb > 0 ? lv / lb : 0} ≤ minSine ${this.minSine}); its body frame is undefined`,
      );
    }
  }

  protected override orient(i: number, out: Float64Array, io: number): void {
    this.frame(i);
    const f = scratchFrame, b = this.beta, r = scratchMatrix;
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 3; col++) {
        r[3 * row + col] = f[row]! * b[col]! + f[3 + row]! * b[3 + col]! + f[6 + row]! * b[6 + col]!;
      }
    }
    quatFromMatrix(out, io, r, 0);
  }

  protected override rotationalForces(i: number, _q: Float64Array, _iq: number, tau: Float64Array, it: number): void {
    this.frame(i);
    const f = scratchFrame, out = this.fRot;
    const la = scratchInfo[0]!, lv = scratchInfo[1]!, bf = scratchInfo[2]!;
    const tx = tau[it]!, ty = tau[it + 1]!, tz = tau[it + 2]!;
    const t1 = tx * f[0]! + ty * f[1]! + tz * f[2]!;
    const t2 = tx * f[3]! + ty * f[4]! + tz * f[5]!;
    const t3 = tx * f[6]! + ty * f[7]! + tz * f[8]!;
    const cb = t1 / lv;
    const c2 = t3 / la, c3 = -(t2 + cb * bf) / la;
    out.fill(0);
    const [p0, p1] = this.primary, [s0, s1] = this.secondary;
    for (let d = 0; d < 3; d++) {
      const ga = c2 * f[3 + d]! + c3 * f[6 + d]!;
      const gb = cb * f[6 + d]!;
      out[3 * p1 + d] = out[3 * p1 + d]! + ga;
      out[3 * p0 + d] = out[3 * p0 + d]! - ga;
      out[3 * s1 + d] = out[3 * s1 + d]! + gb;
      out[3 * s0 + d] = out[3 * s0 + d]! - gb;
    }
  }

  /** Centred body-frame sites (9, Å) in geometry mode, `null` in axis mode. */
  override bodySites(): Float64Array | null {
    return this.geometry === null ? null : Float64Array.from(this.geometry);
  }
}

const scratchFrame = new Float64Array(9);
const scratchInfo = new Float64Array(4);
const scratchMatrix = new Float64Array(9);
