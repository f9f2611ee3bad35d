// SPDX-License-Identifier: BSD-3-Clause
/**
 * The `extxyz` format: extended XYZ (libAtoms/ASE), read together with plain XYZ and — when the
 * format is sniffed rather than named — frames with i-PI headers (the XYZ-family parser of
 * `xyz-family.ts` decides per frame from the comment line).
 *
 * Writing (ASE conventions): `species`, `pos`, then `velo:R:3`, `masses:R:1`, `type:I:1` when the
 * types are not 1, 2, … by first appearance of the species (tracked across frames), the
 * orientation (`quat`, or `orientationKey`; `quat_order=…_body_to_lab` recorded), shapes
 * (`semiaxes:R:3`, or diameters `c_diameter[1..3]`), `forces`, `torques`, `energies`, `molecule:I:1`; info `step`,
 * `energy`, `quat_order`, `virial` (9 numbers, row-major), then the frame's other info values that
 * can be written, in insertion order.
 */
import { AnisoError } from '../../core/errors.js';
import { diameterFromSemiaxis, toScalarLast } from '../conventions.js';
import type { FrameInput } from '../frame.js';
import { formatExtxyzText, isWritableInfoKey, type ExtxyzColumn, type ExtxyzInfoValue } from './extxyz-text.js';
import type { FormatState, FrameFormat, WriteOptions } from './format.js';
import { xyzFamilyParser } from './xyz-family.js';

const WRITER_KEYS = new Set(['step', 'timestep', 'energy', 'quat_order', 'virial', 'Lattice', 'Properties', 'pbc']);

function checkSize(a: ArrayLike<unknown> | null | undefined, w: number, n: number, what: string): void {
  if (a && a.length !== w * n) throw new AnisoError('E_SIZE', `extxyz: ${what} has length ${a.length}, expected ${w * n}`);
}

/** One frame as extended XYZ text (module doc); `state.typeOf` carries the species → type table. */
export function formatExtxyzFrame(frame: FrameInput, options: WriteOptions, state: FormatState): string {
  const typeOf = state.typeOf;
  const o = options.extxyz ?? {};
  const n = frame.positions.length / 3;
  if (!Number.isInteger(n)) throw new AnisoError('E_SIZE', `extxyz: positions has length ${frame.positions.length}, not a multiple of 3`);
  const species = frame.species ? [...frame.species] : Array.from({ length: n }, (_, i) => (frame.types ? String(frame.types[i]) : 'X'));
  if (species.length !== n) throw new AnisoError('E_SIZE', `extxyz: species has length ${species.length}, expected ${n}`);
  const columns: ExtxyzColumn[] = [];
  if (frame.velocities) {
    checkSize(frame.velocities, 3, n, 'velocities');
    columns.push({ name: 'velo', type: 'R', width: 3, values: frame.velocities });
  }
  if (frame.masses) {
    checkSize(frame.masses, 1, n, 'masses');
    columns.push({ name: 'masses', type: 'R', width: 1, values: frame.masses });
  }
  if (frame.types) {
    if (frame.types.length !== n) throw new AnisoError('E_SIZE', `extxyz: types has length ${frame.types.length}, expected ${n}`);
    let derivable = true;
    for (let i = 0; i < n; i++) {
      let t = typeOf.get(species[i]!);
      if (t === undefined) typeOf.set(species[i]!, (t = typeOf.size + 1));
      if (frame.types[i] !== t) derivable = false;
    }
    if (!derivable) columns.push({ name: 'type', type: 'I', width: 1, values: Array.from(frame.types) });
  } else {
    for (const s of species) if (!typeOf.has(s)) typeOf.set(s, typeOf.size + 1);
  }
  const order = o.quaternionOrder ?? 'wxyz';
  if (frame.orientations) {
    let q: ArrayLike<number> = frame.orientations;
    if (order === 'xyzw') {
      const src = frame.orientations;
      const out = new Float64Array(src.length);
      for (let i = 0; i + 3 < src.length; i += 4) toScalarLast(out, i, src, i);
      q = out;
    }
    columns.push({ name: o.orientationKey ?? 'quat', type: 'R', width: 4, values: q });
  }
  if (frame.semiaxes) {
    if (o.shapes === 'diameters') {
      for (let d = 0; d < 3; d++) {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = diameterFromSemiaxis(frame.semiaxes[3 * i + d]!);
        columns.push({ name: `c_diameter[${d + 1}]`, type: 'R', width: 1, values: v });
      }
    } else columns.push({ name: 'semiaxes', type: 'R', width: 3, values: frame.semiaxes });
  }
  if (frame.forces) columns.push({ name: 'forces', type: 'R', width: 3, values: frame.forces });
  if (frame.torques) columns.push({ name: 'torques', type: 'R', width: 3, values: frame.torques });
  if (frame.energies) columns.push({ name: 'energies', type: 'R', width: 1, values: frame.energies });
  if (frame.molecules) {
    checkSize(frame.molecules, 1, n, 'molecules');
    columns.push({ name: 'molecule', type: 'I', width: 1, values: frame.molecules });
  }
  const info: Record<string, ExtxyzInfoValue> = {};
  if (frame.step !== null && frame.step !== undefined) info.step = frame.step;
  if (frame.energy !== null && frame.energy !== undefined) info.energy = frame.energy;
  if (frame.orientations) info.quat_order = `${order}_body_to_lab`;
  if (frame.virial) {
    if (frame.virial.length !== 9) throw new AnisoError('E_SIZE', `extxyz: virial has length ${frame.virial.length}, expected 9 (row-major 3×3)`);
    info.virial = Array.from(frame.virial);
  }
  for (const [k, v] of Object.entries(frame.info ?? {})) {
    if (WRITER_KEYS.has(k) || !isWritableInfoKey(k) || k in info) continue;
    if (typeof v === 'string' && (v === '' || /["\\\n\r]/.test(v))) continue;
    if (typeof v === 'number' && !Number.isFinite(v)) continue;
    info[k] = v;
  }
  return formatExtxyzText({ species, positions: frame.positions, cell: frame.cell, columns, info }, { precision: options.precision ?? 'full' });
}

/** The extended XYZ format (module doc). */
export const extxyz: FrameFormat = {
  name: 'extxyz',
  extensions: ['extxyz', 'exyz', 'xyz'],
  sniff: (lines) => lines.length > 0 && /^\s*\d+\s*$/.test(lines[0]!),
  parser: (source, options) => xyzFamilyParser(source, options, 'any'),
  format: formatExtxyzFrame,
};
