// SPDX-License-Identifier: BSD-3-Clause
/**
 * A minimal encoder of NumPy `.npy` files, format version 1.0 (NEP 1 / `numpy.lib.format`):
 * ```
 * \x93NUMPY  0x01 0x00  HEADER_LEN (uint16 LE)  HEADER (ASCII, padded with spaces, ends with \n)  DATA
 * ```
 * HEADER is a Python dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (r, c), }`;
 * magic + lengths + HEADER take a multiple of 64 bytes, so that the data are aligned. Data are
 * C order (row-major), little-endian. Pure: returns bytes.
 */
import { AnisoError } from '../core/errors.js';

/** Arrays that can be encoded, with their NumPy dtype. */
export type NpyArray = Float64Array | Float32Array | Int32Array;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function descr(a: NpyArray): { descr: string; size: number; write: (v: DataView, o: number, x: number) => void } {
  if (a instanceof Float64Array) return { descr: '<f8', size: 8, write: (v, o, x) => v.setFloat64(o, x, true) };
  if (a instanceof Float32Array) return { descr: '<f4', size: 4, write: (v, o, x) => v.setFloat32(o, x, true) };
  return { descr: '<i4', size: 4, write: (v, o, x) => v.setInt32(o, x, true) };
}

/**
 * Encode `data` with `shape` (C order) as a `.npy` v1.0 file.
 * @throws AnisoError `E_SIZE` if the shape's product differs from `data.length`, `E_ARG` for a bad shape
 */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new AnisoError('E_ARG', `npy shape must be non-negative integers, got (${shape.join(', ')})`);
  const count = shape.reduce((p, d) => p * d, 1);
  if (count !== data.length) throw new AnisoError('E_SIZE', `npy shape (${shape.join(', ')}) holds ${count} values, the data ${data.length}`);
  const d = descr(data);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${d.descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const preamble = MAGIC.length + 2 + 2;
  const total = Math.ceil((preamble + header.length + 1) / 64) * 64;
  header = header.padEnd(total - preamble - 1, ' ') + '\n';
  if (header.length > 0xffff) throw new AnisoError('E_ARG', 'npy header too long for format 1.0');
  const out = new Uint8Array(total + d.size * data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[preamble + k] = header.charCodeAt(k);
  for (let k = 0; k < data.length; k++) d.write(view, total + d.size * k, data[k]!);
  return out;
}
