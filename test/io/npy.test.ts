// SPDX-License-Identifier: BSD-3-Clause
/** The .npy v1.0 encoder: byte layout, and numpy reading it back when numpy is installed. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/io/npy.js';
import { PYTHON } from '../support/processes.js';
import { requirePython } from '../support/python-prerequisite.js';

describe('encodeNpy', () => {
  it('writes magic, version, an aligned header and little-endian C-order data', () => {
    const data = Float64Array.of(1, 2.5, -3, 4, 5, 6);
    const bytes = encodeNpy(data, [2, 3]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLen = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    const view = new DataView(bytes.buffer, bytes.byteOffset + 10 + headerLen);
    expect(Array.from({ length: 6 }, (_, k) => view.getFloat64(8 * k, true))).toEqual(Array.from(data));
    expect(bytes.length).toBe(10 + headerLen + 48);
  });

  it('writes 1-D shapes as Python 1-tuples and int32 data', () => {
    const header = new TextDecoder().decode(encodeNpy(Int32Array.of(1, 2, 3), [3]).subarray(10, 64));
    expect(header).toMatch(/'descr': '<i4'.*'shape': \(3,\)/);
  });

  it('refuses a shape that does not hold the data', () => {
    expect(() => encodeNpy(new Float64Array(5), [2, 3])).toThrow(/holds 6 values, the data 5/);
  });

  // numpy comes with python3-ase, which CI installs; a missing numpy fails this test loudly.
  it('is read back by numpy', () => {
    requirePython('numpy');
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-npy-'));
    const data = Float64Array.from({ length: 12 }, (_, k) => Math.sin(k) * 10 ** (k - 6));
    writeFileSync(join(dir, 'a.npy'), encodeNpy(data, [4, 3]));
    writeFileSync(join(dir, 'b.npy'), encodeNpy(Float32Array.of(1.5, -2), [2]));
    const out = execFileSync(PYTHON, ['-c', `import numpy as np, json
a = np.load('${dir}/a.npy'); b = np.load('${dir}/b.npy')
print(json.dumps([list(a.shape), str(a.dtype), a.ravel().tolist(), list(b.shape), str(b.dtype), b.tolist()]))`]).toString();
    const [shape, dtype, values, shapeB, dtypeB, valuesB] = JSON.parse(out);
    expect(shape).toEqual([4, 3]);
    expect(dtype).toBe('float64');
    expect(values).toEqual(Array.from(data));
    expect(shapeB).toEqual([2]);
    expect(dtypeB).toBe('float32');
    expect(valuesB).toEqual([1.5, -2]);
  });
});
