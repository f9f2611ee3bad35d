// SPDX-License-Identifier: BSD-3-Clause
/**
 * Labelled ellipsoid frames as extended XYZ, in the layout of the shared Gay–Berne reference data
 * (`shared/data/gayberne/gb_configs_train.extxyz`), so that one reader serves both:
 *
 * ```
 * N
 * Lattice="…" Properties=species:S:1:pos:R:3:quat:R:4:semiaxes:R:3:forces:R:3:torques:R:3:energies:R:1 config_id=… source=… energy=… quat_order=wxyz_body_to_lab [virial="…"] [more info] pbc="T T T"
 * X  x y z  qw qx qy qz  a b c  fx fy fz  tx ty tz  e
 * ```
 *
 * `quat` is a unit quaternion (w, x, y, z) rotating body → lab; `semiaxes` along body x, y, z;
 * `forces` −∂E/∂(centre); `torques` lab-frame torques about the centre; `energies` per-particle
 * energies summing to `energy` (the total, not per particle); the optional info `virial` is the
 * virial `Σ F ⊗ r` (9 numbers, row-major, at fixed lab orientations). `forces`, `torques`,
 * `energies` and `virial` are optional (a frame without labels omits them). Units are the
 * caller's; write them in the info (e.g. `units=lj`).
 *
 * {@link formatLabelledFrame} writes one frame (through `formatExtxyzFrame`, full precision by
 * default); `readLabelledFrames` (`extxyz-frames.ts`) reads these files and the shared ones.
 */
import type { Cell } from '../core/cell.js';
import { AnisoError, checkLength } from '../core/errors.js';
import { formatExtxyzFrame, type ExtxyzColumn, type ExtxyzFormatOptions, type ExtxyzInfoValue } from './extxyz-writer.js';

/** One labelled frame of ellipsoids. Arrays are read, never kept, by the formatter. */
export interface LabelledEllipsoidFrame {
  /** Centres, 3n. */
  positions: ArrayLike<number>;
  /** Unit quaternions (w, x, y, z), body → lab, 4n. */
  orientations: ArrayLike<number>;
  /** Semi-axes along body x, y, z, 3n. */
  semiaxes: ArrayLike<number>;
  /** The cell (periodic, or open with no `Lattice` written). */
  cell: Cell;
  /** Species per particle, n entries (default `X` for all). */
  species?: readonly string[];
  /** Frame identifier, e.g. `rand_003`, `md_T1.0_s2_0400` (a plain token). */
  configId: string;
  /** Where the frame comes from, e.g. `random_insertion`, `md_snapshot` (a plain token). */
  source: string;
  /** Total energy; omitted from the file when undefined. */
  energy?: number;
  /** Forces on the centres, 3n (or null/absent: no column). */
  forces?: ArrayLike<number> | null;
  /** Lab-frame torques about the centres, 3n (or null/absent: no column). */
  torques?: ArrayLike<number> | null;
  /** Per-particle energies, n (or null/absent: no column). */
  energies?: ArrayLike<number> | null;
  /** Virial, row-major 9, written as info `virial` (or null/absent: not written). */
  virial?: ArrayLike<number> | null;
  /** More `key=value` info, written after `config_id source energy quat_order`, in insertion order. */
  info?: Readonly<Record<string, ExtxyzInfoValue>>;
}

const TOKEN_RE = /^[^\s"'=\\{}[\]]+$/;

/**
 * One frame as extended XYZ text (ending with a newline), full precision unless `options` say
 * otherwise. Throws `E_SIZE` for arrays of the wrong length and `E_ARG` for names or values that
 * cannot be written (see `formatExtxyzFrame`), or for info keys the layout reserves.
 */
export function formatLabelledFrame(frame: LabelledEllipsoidFrame, options: ExtxyzFormatOptions = {}): string {
  const n = frame.positions.length / 3;
  if (!Number.isInteger(n)) throw new AnisoError('E_SIZE', `labelled frame: positions has length ${frame.positions.length}, not a multiple of 3`);
  checkLength(frame.orientations, 4 * n, `labelled frame orientations (4 per particle for ${n} particles)`);
  const columns: ExtxyzColumn[] = [
    { name: 'quat', type: 'R', width: 4, values: frame.orientations },
    { name: 'semiaxes', type: 'R', width: 3, values: frame.semiaxes },
  ];
  if (frame.forces) columns.push({ name: 'forces', type: 'R', width: 3, values: frame.forces });
  if (frame.torques) columns.push({ name: 'torques', type: 'R', width: 3, values: frame.torques });
  if (frame.energies) columns.push({ name: 'energies', type: 'R', width: 1, values: frame.energies });
  for (const [key, value] of [['config_id', frame.configId], ['source', frame.source]] as const) {
    if (typeof value !== 'string' || !TOKEN_RE.test(value)) {
      throw new AnisoError('E_ARG', `labelled frame: ${key} ${JSON.stringify(value)} must be a plain token (no spaces, quotes, =, brackets)`);
    }
  }
  const info: Record<string, ExtxyzInfoValue> = { config_id: frame.configId, source: frame.source };
  if (frame.energy !== undefined) info.energy = frame.energy;
  info.quat_order = 'wxyz_body_to_lab';
  if (frame.virial) {
    checkLength(frame.virial, 9, 'labelled frame virial (row-major 3×3)');
    info.virial = Array.from(frame.virial);
  }
  for (const [k, v] of Object.entries(frame.info ?? {})) {
    if (k in info) throw new AnisoError('E_ARG', `labelled frame: info key '${k}' is written by the formatter; pass it as a field`);
    info[k] = v;
  }
  return formatExtxyzFrame(
    {
      species: frame.species ?? new Array<string>(n).fill('X'),
      positions: frame.positions,
      cell: frame.cell,
      columns,
      info,
    },
    { precision: 'full', ...options },
  );
}
