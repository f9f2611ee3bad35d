// SPDX-License-Identifier: BSD-3-Clause
/**
 * i-PI's own XYZ trajectory output (`<trajectory format="xyz">positions{angstrom}</trajectory>`):
 *
 * ```
 * N
 * # CELL(abcABC):   a b c  alpha beta gamma  Step: 40  Bead: 0 positions{angstrom}  cell{angstrom}
 * O  x y z
 * ```
 *
 * The cell is given by its lattice parameters (lengths, degrees), so it is implicitly in the
 * standard orientation (`a` along x, `b` in the xy plane): a frame whose cell is not is rotated
 * into it (a reflection for a left-handed cell — the file has no orientations to spoil). An open
 * cell is written as `0 0 0 90 90 90` and read back as open. The format has no orientations,
 * shapes, forces or energies; reading is done by the XYZ-family parser (`xyz-family.ts`), which
 * converts `atomic_unit` lengths to Å. Named (`format: 'ipi'`), every frame must carry an i-PI
 * header; sniffed (second line `# CELL…`), other XYZ dialects are tolerated as before.
 */
import { AnisoError } from '../../core/errors.js';
import { IPI_UNITS } from '../../core/units.js';
import type { FrameInput } from '../frame.js';
import { rotateVectors, standardOrientation } from '../standard-cell.js';
import { realFormatter } from './extxyz-text.js';
import type { FrameFormat, WriteOptions } from './format.js';
import { xyzFamilyParser } from './xyz-family.js';

/**
 * One frame as i-PI XYZ text (module doc); positions are taken in Å.
 * @throws AnisoError `E_SIZE` for a species array of the wrong length, `E_ARG` for bad species
 */
export function formatIpiXyzFrame(frame: FrameInput, options: WriteOptions = {}): string {
  const { fmt } = realFormatter(options.precision ?? 'full');
  const o = options.ipi ?? {};
  const n = frame.positions.length / 3;
  if (!Number.isInteger(n)) throw new AnisoError('E_SIZE', `i-PI xyz: positions has length ${frame.positions.length}, not a multiple of 3`);
  if (frame.species && frame.species.length !== n) throw new AnisoError('E_SIZE', `i-PI xyz: species has length ${frame.species.length}, expected ${n}`);
  const units = o.units ?? 'angstrom';
  if (units !== 'angstrom' && units !== 'atomic_unit') throw new AnisoError('E_ARG', `i-PI xyz units '${String(units)}'; allowed: angstrom, atomic_unit`);
  const scale = units === 'angstrom' ? 1 : 1 / IPI_UNITS.bohrInAngstrom;
  const std = standardOrientation(frame.cell);
  let params = [0, 0, 0, 90, 90, 90];
  let positions: ArrayLike<number> = frame.positions;
  if (std) {
    const h = std.h;
    const len = (o: number) => Math.hypot(h[o]!, h[o + 1]!, h[o + 2]!);
    const a = len(0), b = len(3), c = len(6);
    const ang = (o: number, p: number, lo: number, lp: number) =>
      (Math.acos(Math.max(-1, Math.min(1, (h[o]! * h[p]! + h[o + 1]! * h[p + 1]! + h[o + 2]! * h[p + 2]!) / (lo * lp)))) * 180) / Math.PI;
    // Exact right angles stay exact (acos(0) * 180 / π is 90 exactly in doubles).
    params = [a, b, c, ang(3, 6, b, c), ang(0, 6, a, c), ang(0, 3, a, b)];
    if (std.rotation) positions = rotateVectors(std.rotation, frame.positions);
  }
  const step = Math.trunc(frame.step ?? frame.index ?? 0);
  const bead = o.bead ?? 0;
  const cellText = params.map((x, k) => fmt(k < 3 ? x * scale : x)).join(' ');
  const lines = [String(n), `# CELL(abcABC): ${cellText}  Step: ${step}  Bead: ${bead} positions{${units}}  cell{${units}}`];
  for (let i = 0; i < n; i++) {
    const s = frame.species?.[i] ?? (frame.types ? String(frame.types[i]) : 'X');
    if (!/^\S+$/.test(s)) throw new AnisoError('E_ARG', `i-PI xyz: species of particle ${i} is ${JSON.stringify(s)}; it must be a token without spaces`);
    lines.push(`${s} ${fmt(positions[3 * i]! * scale)} ${fmt(positions[3 * i + 1]! * scale)} ${fmt(positions[3 * i + 2]! * scale)}`);
  }
  return lines.join('\n') + '\n';
}

/** The i-PI XYZ format (module doc). */
export const ipiXyz: FrameFormat = {
  name: 'ipi',
  extensions: [],
  sniff: (lines) => lines.length > 1 && /^#\s*CELL/.test(lines[1]!.trim()),
  parser: (source, options, sniffed) => xyzFamilyParser(source, options, sniffed ? 'any' : 'ipi'),
  format: (frame, options) => formatIpiXyzFrame(frame, options),
};
