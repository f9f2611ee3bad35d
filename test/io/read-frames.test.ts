// SPDX-License-Identifier: BSD-3-Clause
/**
 * The streaming trajectory reader on the shared data (the LAMMPS nematic dump, the Gay–Berne
 * training set, AniSOAP files) and on small hand-written LAMMPS / extxyz / i-PI inputs: conventions
 * (quaternions, diameters, origin, triclinic boxes, scaled and unwrapped coordinates, id order),
 * gzip, format detection.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { afterAll, describe, expect, it } from 'vitest';
import { quatRotate, quatToMatrix } from '../../src/core/quaternion.js';
import { IPI_UNITS } from '../../src/core/units.js';
import type { Frame } from '../../src/io/frame.js';
import { formatFromPath as formatOfPath } from '../../src/io/formats/index.js';
import { detectFormat, readFrames, readFramesSync } from '../../src/io/read-frames.js';
import { collect, parseFrames, tempDir } from '../support/trajectory-fixtures.js';
import { referencePath } from '../support/reference-data.js';

const formatFromPath = (p: string) => formatOfPath(p)?.name ?? null;

const LAMMPS = referencePath('lc/traj_nematic.lammpstrj');
const tmp = tempDir();
afterAll(() => tmp.remove());

describe('readFrames: the shared LAMMPS nematic trajectory', () => {
  it('streams 161 frames × 512 particles; frame 0 matches the file; u = R(q)·z as documented', async () => {
    const text = readFileSync(LAMMPS, 'utf8').split('\n');
    let count = 0;
    let first: Frame | null = null;
    const steps: number[] = [];
    for await (const f of readFrames(LAMMPS)) {
      if (count === 0) first = f;
      expect(f.n).toBe(512);
      expect(f.index).toBe(count);
      steps.push(f.step!);
      count++;
    }
    expect(count).toBe(161);
    expect(steps[0]).toBe(0);
    expect(steps[160]).toBe(40000);
    expect(steps[1]! - steps[0]!).toBe(250);
    const f = first!;
    expect(f.source).toBe(`${LAMMPS}:1`);
    expect(Array.from(f.cell.h)).toEqual([11.190533358993767, 0, 0, 0, 11.190533358993767, 0, 0, 0, 12.389519076028815]);
    expect(f.cell.pbc).toEqual([true, true, true]);
    expect(f.species.every((s) => s === '1')).toBe(true);
    expect(Array.from(f.types).every((t) => t === 1)).toBe(true);
    expect(f.semiaxes).toBeUndefined();
    expect(f.forces).toBeUndefined();
    // Independent read of the atom lines (lines 10..521): id type x y z quatw quati quatj quatk.
    const rows = text.slice(9, 9 + 512).map((l) => l.trim().split(/\s+/).map(Number));
    expect(rows[0]).toEqual([1, 1, 1.9833, 9.5984, 9.1124, -0.35346, 0.10792, 0.01762, 0.92904]);
    let maxDev = 0;
    const u = new Float64Array(3);
    const R = new Float64Array(9);
    for (let i = 0; i < 512; i++) {
      const [id, , x, y, z, w, qi, qj, qk] = rows[i]!;
      expect(id).toBe(i + 1);
      expect(f.positions[3 * i]).toBe(x);
      expect(f.positions[3 * i + 1]).toBe(y);
      expect(f.positions[3 * i + 2]).toBe(z);
      const norm = Math.hypot(w!, qi!, qj!, qk!);
      maxDev = Math.max(maxDev, Math.abs(norm - 1));
      const q = f.orientations!.subarray(4 * i, 4 * i + 4);
      expect(Math.hypot(...q)).toBeCloseTo(1, 15);
      for (const [k, v] of [w, qi, qj, qk].entries()) expect(q[k]).toBeCloseTo(v! / norm, 15);
      // README: u = R(q)·(0,0,1) = (2(ik + wj), 2(jk − wi), w² − i² − j² + k²), normalised q.
      const [W, I, J, K] = [q[0]!, q[1]!, q[2]!, q[3]!];
      const doc = [2 * (I * K + W * J), 2 * (J * K - W * I), W * W - I * I - J * J + K * K];
      quatRotate(u, 0, q, 0, [0, 0, 1], 0);
      quatToMatrix(R, 0, q, 0);
      for (let d = 0; d < 3; d++) {
        expect(u[d]).toBeCloseTo(doc[d]!, 14);
        expect(R[3 * d + 2]).toBeCloseTo(doc[d]!, 14);
      }
    }
    expect(maxDev).toBeGreaterThan(1e-7); // the file's 5 decimals: normalising matters
    expect(maxDev).toBeLessThan(1e-5);
  });

  it('gives S2 of frame 0 as in the reference time series (u = body z of the normalised quaternion)', async () => {
    const it = readFrames(LAMMPS)[Symbol.asyncIterator]();
    const f = (await it.next()).value as Frame;
    await it.return?.();
    const Q = Matrix.zeros(3, 3);
    const u = new Float64Array(3);
    for (let i = 0; i < f.n; i++) {
      quatRotate(u, 0, f.orientations!, 4 * i, [0, 0, 1], 0);
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) Q.set(a, b, Q.get(a, b) + (1.5 * u[a]! * u[b]! - (a === b ? 0.5 : 0)) / f.n);
    }
    const s2 = Math.max(...new EigenvalueDecomposition(Q).realEigenvalues);
    const ref = readFileSync(referencePath('lc/nematic_timeseries.csv'), 'utf8').split('\n')[1]!.split(',');
    expect(Number(ref[0])).toBe(0);
    expect(s2).toBeCloseTo(Number(ref[1]), 10);
  });

  it('reads the same frames from a gzip copy, detected by magic bytes (not the name), and re-iterates', async () => {
    const text = readFileSync(LAMMPS);
    const gz = tmp.path('nematic-copy.data');
    writeFileSync(gz, gzipSync(text.subarray(0, text.indexOf('ITEM: TIMESTEP', 100) + 0)));
    const frames = await collect(readFrames(gz));
    expect(frames).toHaveLength(1);
    const again = await collect(readFrames(gz));
    expect(again[0]!.positions).toEqual(frames[0]!.positions);
    const plain = await collect(readFrames(LAMMPS));
    expect(frames[0]!.orientations).toEqual(plain[0]!.orientations);
    expect(await detectFormat(gz)).toBe('lammps');
    const gz2 = tmp.path('nematic.lammpstrj.gz');
    writeFileSync(gz2, gzipSync(text));
    let n = 0;
    for await (const g of readFrames(gz2)) {
      expect(g.positions).toEqual(plain[n]!.positions);
      n++;
    }
    expect(n).toBe(161);
  });

  it('stops reading when the loop breaks (no leak, the file can be reopened)', async () => {
    const traj = readFrames(LAMMPS);
    for await (const f of traj) {
      expect(f.index).toBe(0);
      break;
    }
    for await (const f of traj) {
      expect(f.index).toBe(0);
      break;
    }
  });
});

describe('readFrames: shared extended XYZ files', () => {
  it('reads the Gay–Berne training set (quat, semiaxes, forces, torques, energy, info)', async () => {
    const frames = await collect(readFrames(referencePath('gayberne/gb_configs_train.extxyz')));
    expect(frames).toHaveLength(30);
    const f = frames[0]!;
    expect(f.n).toBe(100);
    expect(f.energy).toBeCloseTo(9.2367722704589337, 12);
    expect(Array.from(f.semiaxes!.subarray(0, 3))).toEqual([0.5, 0.5, 1.5]);
    expect(f.forces![0]).toBe(-0.0845652285529018);
    expect(f.torques![0]).toBe(0.60186642684436176);
    expect(f.orientations![0]).toBeCloseTo(-0.17836878321457544, 15);
    expect(f.info.config_id).toBe('rand_000');
    expect(f.info.N).toBe(100);
    expect(f.info.triclinic).toBe(false);
    expect(f.info.energy).toBeUndefined();
    expect(f.species[0]).toBe('X');
    expect(f.types[0]).toBe(1);
    expect(f.step).toBeUndefined();
  });

  it('reads AniSOAP golden files: c_q (w,x,y,z) and c_diameter[k] diameters halved', async () => {
    const [f] = await collect(readFrames(referencePath('anisoap/golden/triclinic30.xyz')));
    const ref = JSON.parse(readFileSync(referencePath('anisoap/golden/triclinic30.json'), 'utf8')) as {
      frames: { positions: number[][]; cell: number[][]; quaternion_wxyz: number[][]; semiaxes: number[][] }[];
    };
    const r = ref.frames[0]!;
    expect(f!.n).toBe(30);
    expect(Array.from(f!.cell.h)).toEqual(r.cell.flat());
    for (let i = 0; i < 30; i++) {
      for (let d = 0; d < 3; d++) {
        expect(f!.positions[3 * i + d]).toBeCloseTo(r.positions[i]![d]!, 9);
        expect(f!.semiaxes![3 * i + d]).toBeCloseTo(r.semiaxes[i]![d]!, 9);
      }
      const q = r.quaternion_wxyz[i]!;
      const sign = Math.sign(q[0]! * f!.orientations![4 * i]! || 1);
      for (let k = 0; k < 4; k++) expect(sign * f!.orientations![4 * i + k]!).toBeCloseTo(q[k]!, 9);
    }
  });

  it('reads AniSOAP benchmark files (quaternions, escaped c_diameter\\[k\\]) and their xyzw files on request', async () => {
    const side = await collect(readFrames(referencePath('anisoap/gay_berne_dimers/side_to_side.xyz')));
    expect(side).toHaveLength(100);
    expect(Array.from(side[0]!.semiaxes!.subarray(0, 3))).toEqual([0.5, 1, 0.5]);
    expect(side[0]!.energy).toBeCloseTo(-0.5127238467553719, 15);
    expect(side[0]!.cell.pbc).toEqual([false, false, false]);
    // face_to_face stores (x, y, z, w): 0 0 0.70710678 0.70710678 is a rotation by 90° about z.
    const ftf = await collect(readFrames(referencePath('anisoap/gay_berne_dimers/face_to_face.xyz'), { quaternionOrder: 'xyzw' }));
    const q = ftf[0]!.orientations!.subarray(0, 4);
    expect(q[0]).toBeCloseTo(Math.SQRT1_2, 8);
    expect(q[3]).toBeCloseTo(Math.SQRT1_2, 8);
    expect(ftf[0]!.info.separation_distance).toBeCloseTo(2.01010101010101, 14);
  });
});

describe('LAMMPS dump conventions', () => {
  const frame = (header: string, atoms: string[], box = 'ITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10') =>
    `ITEM: TIMESTEP\n7\nITEM: NUMBER OF ATOMS\n${atoms.length}\n${box}\nITEM: ATOMS ${header}\n${atoms.join('\n')}\n`;

  it('accepts any column order, sorts by id, renamed c_q[1..4], shapes as diameters, forces and torques', () => {
    const text = frame('tqx tqy tqz c_q[2] c_q[3] c_q[4] c_q[1] x y z type id shapex shapey shapez fx fy fz', [
      '0 0 3   0 0 0 1   1 2 3   2 5   1 1 3   4 5 6',
      '0 0 1   1 0 0 0   4 5 6   1 2   2 2 2   1 2 3',
    ]);
    const [f] = parseFrames(text, 'd.lammpstrj');
    expect(f!.step).toBe(7);
    expect(Array.from(f!.positions)).toEqual([4, 5, 6, 1, 2, 3]);
    expect(Array.from(f!.types)).toEqual([1, 2]);
    expect(f!.species).toEqual(['1', '2']);
    expect(Array.from(f!.orientations!)).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(f!.semiaxes!)).toEqual([1, 1, 1, 0.5, 0.5, 1.5]);
    expect(Array.from(f!.forces!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(f!.torques!)).toEqual([0, 0, 1, 0, 0, 3]);
    expect(f!.source).toBe('d.lammpstrj:1');
  });

  it('reads quatw…quatk, custom quaternion/shape columns, xyzw c_q, element, UNITS and TIME', () => {
    const withUnits = `ITEM: UNITS\nlj\nITEM: TIME\n1.5\n${frame('id type element xu yu zu quatw quati quatj quatk', ['1 1 C 1 2 3 2 0 0 0'])}`;
    const [f] = parseFrames(withUnits);
    expect(f!.species).toEqual(['C']);
    expect(f!.info).toEqual({ units: 'lj', time: 1.5 });
    expect(Array.from(f!.orientations!)).toEqual([1, 0, 0, 0]);
    const custom = frame('id x y z v_a v_b v_c v_d d1 d2 d3', ['1 0 0 0 0 0 0 2 2 4 6']);
    const [g] = parseFrames(custom, 's', { quaternionColumns: ['v_a', 'v_b', 'v_c', 'v_d'], quaternionOrder: 'xyzw', shapeColumns: ['d1', 'd2', 'd3'] });
    expect(Array.from(g!.orientations!)).toEqual([1, 0, 0, 0]);
    expect(Array.from(g!.semiaxes!)).toEqual([1, 2, 3]);
    const [h] = parseFrames(frame('id x y z c_orient[1] c_orient[2] c_orient[3] c_orient[4]', ['1 0 0 0 0 0 1 0']), 's', { orientationKey: 'orient' });
    expect(Array.from(h!.orientations!)).toEqual([0, 0, 1, 0]);
    const [r] = parseFrames(frame('id x y z radius', ['1 0 0 0 0.7']), 's', { semiaxes: [1, 2, 3] });
    expect(Array.from(r!.semiaxes!)).toEqual([1, 2, 3]);
    const [s] = parseFrames(frame('id x y z radius', ['1 0 0 0 0.7']));
    expect(Array.from(s!.semiaxes!)).toEqual([0.7, 0.7, 0.7]);
  });

  it('subtracts the box origin; scales xs; adds image flags to wrapped coordinates (or not)', () => {
    const box = 'ITEM: BOX BOUNDS pp pp ff\n-5 5\n-2 8\n1 11';
    const [f] = parseFrames(frame('id x y z ix iy iz', ['1 0 0 1 1 -1 0'], box));
    expect(Array.from(f!.positions)).toEqual([15, -8, 0]);
    expect(f!.cell.pbc).toEqual([true, true, false]);
    const [g] = parseFrames(frame('id x y z ix iy iz', ['1 0 0 1 1 -1 0'], box), 's', { imageFlags: 'ignore' });
    expect(Array.from(g!.positions)).toEqual([5, 2, 0]);
    const [s] = parseFrames(frame('id xs ys zs', ['1 0.5 0.25 0'], box));
    expect(Array.from(s!.positions)).toEqual([5, 2.5, 0]);
  });

  it('converts triclinic bounds to lattice vectors (LAMMPS docs) for x and xs coordinates', () => {
    // a = (10, 0, 0), b = (2, 8, 0), c = (-3, 1, 9), origin (1, 2, 3):
    // xlo_bound = 1 + min(0, 2, -3, -1) = -2, xhi_bound = 11 + max(0, 2, -3, -1) = 13;
    // ylo_bound = 2 + min(0, 1) = 2, yhi_bound = 10 + max(0, 1) = 11.
    const box = 'ITEM: BOX BOUNDS xy xz yz pp pp pp\n-2 13 2\n2 11 -3\n3 12 1';
    const [f] = parseFrames(frame('id x y z', ['1 1 2 3', '2 2 3 4'], box));
    expect(Array.from(f!.cell.h)).toEqual([10, 0, 0, 2, 8, 0, -3, 1, 9]);
    expect(Array.from(f!.positions)).toEqual([0, 0, 0, 1, 1, 1]);
    const [s] = parseFrames(frame('id xs ys zs', ['1 0.5 0.5 0.5'], box));
    expect(Array.from(s!.positions)).toEqual([4.5, 4.5, 4.5]);
    const general = 'ITEM: BOX BOUNDS abc origin pp pp pp\n10 0 0 1\n2 8 0 2\n-3 1 9 3';
    const [g] = parseFrames(frame('id x y z', ['1 1 2 3'], general));
    expect(Array.from(g!.cell.h)).toEqual([10, 0, 0, 2, 8, 0, -3, 1, 9]);
    expect(Array.from(g!.positions)).toEqual([0, 0, 0]);
  });

  it('reads frames of different sizes and an empty frame', () => {
    const text = frame('id x y z', ['1 0 0 0', '2 1 1 1']) + frame('id x y z', []) + frame('id x y z', ['1 2 2 2']);
    const frames = parseFrames(text);
    expect(frames.map((f) => f.n)).toEqual([2, 0, 1]);
    expect(frames.map((f) => f.source)).toEqual(['<string>:1', '<string>:12', '<string>:22']);
  });
});

describe('extended XYZ and i-PI conventions', () => {
  it('reads species from Z, types from a type column or by first appearance, matrices as orientations', () => {
    const text = [
      '3',
      'Properties=Z:I:1:pos:R:3:c_q:R:9 step=12 energy=-2 note="a b"',
      '6 0 0 0 1 0 0 0 1 0 0 0 1',
      '8 1 0 0 0 -1 0 1 0 0 0 0 1',
      '6 2 0 0 1 0 0 0 1 0 0 0 1',
      '2',
      'Properties=species:S:1:pos:R:3:type:I:1',
      'O 0 0 0 7',
      'H 0 0 1 9',
    ].join('\n');
    const [f, g] = parseFrames(text);
    expect(f!.species).toEqual(['C', 'O', 'C']);
    expect(Array.from(f!.types)).toEqual([1, 2, 1]);
    expect(f!.step).toBe(12);
    expect(f!.energy).toBe(-2);
    expect(f!.info).toEqual({ note: 'a b' });
    const q = f!.orientations!.subarray(4, 8); // 90° about z
    expect(q[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(q[3]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(Array.from(g!.types)).toEqual([7, 9]);
  });

  it('honours quat_order=xyzw… in the comment unless the option says otherwise', () => {
    const text = '1\nProperties=species:S:1:pos:R:3:quat:R:4 quat_order=xyzw_body_to_lab\nX 0 0 0 0 0 0 1\n';
    expect(Array.from(parseFrames(text)[0]!.orientations!)).toEqual([1, 0, 0, 0]);
    expect(Array.from(parseFrames(text, 's', { quaternionOrder: 'wxyz' })[0]!.orientations!)).toEqual([0, 0, 0, 1]);
  });

  it('counts I, L and S columns it does not use (ASE files with tags, fixed flags, labels)', () => {
    const text = '2\nProperties=species:S:1:tags:I:1:pos:R:3:fixed:L:3:label:S:1:forces:R:3 energy=0.5 pbc="F F F"\nA 7 0 0 0 T F T one 1 2 3\nB 8 1 1 1 F F F two 4 5 6\n';
    const [f] = parseFrames(text);
    expect(Array.from(f!.positions)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(f!.forces!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(f!.energy).toBe(0.5);
  });

  it('reads plain XYZ and new-style arrays', () => {
    const [f] = parseFrames('2\nplain comment\nA 0 0 0 extra\nB 1 2 3\n');
    expect(f!.species).toEqual(['A', 'B']);
    expect(f!.cell.pbc).toEqual([false, false, false]);
    const [g] = parseFrames('1\nLattice=[[2, 0, 0], [0, 3, 0], [0, 0, 4]] pbc=[T, T, F]\nA 1 1 1\n');
    expect(Array.from(g!.cell.h)).toEqual([2, 0, 0, 0, 3, 0, 0, 0, 4]);
    expect(g!.cell.pbc).toEqual([true, true, false]);
  });

  it('reads i-PI xyz: cell from abcABC, Step, units converted from atomic_unit with i-PI\'s bohr', async () => {
    const b = IPI_UNITS.bohrInAngstrom;
    const text = [
      '2',
      '# CELL(abcABC):   20.00000    20.00000    30.00000    90.00000    90.00000   120.00000  Step:           4  Bead:       0 positions{atomic_unit}  cell{atomic_unit}',
      '       O  1.00000e+00  2.00000e+00  3.00000e+00',
      '       H  0.00000e+00  0.00000e+00  1.00000e+00',
      '2',
      '# CELL(abcABC):   10 10 15 90 90 90  Step: 8  Bead: 0 positions{angstrom}  cell{angstrom}',
      'O 1 2 3',
      'H 0 0 1',
    ].join('\n');
    const p = tmp.path('sim.pos_0.xyz');
    writeFileSync(p, text);
    expect(await detectFormat(p)).toBe('ipi');
    const [f, g] = await collect(readFrames(p, { format: 'ipi' }));
    expect(f!.step).toBe(4);
    expect(f!.info).toEqual({ Bead: 0 });
    expect(f!.positions[0]).toBeCloseTo(b, 15);
    expect(f!.positions[2]).toBeCloseTo(3 * b, 15);
    expect(f!.cell.h[0]).toBeCloseTo(20 * b, 13);
    expect(f!.cell.h[3]).toBeCloseTo(-10 * b, 12);
    expect(f!.cell.h[4]).toBeCloseTo(20 * b * Math.sin((2 * Math.PI) / 3), 12);
    expect(Array.from(g!.cell.h)).toEqual([10, 0, 0, 0, 10, 0, 0, 0, 15]);
    expect(Array.from(g!.positions)).toEqual([1, 2, 3, 0, 0, 1]);
  });

  it('applies the semi-axes override to every format', () => {
    const x = parseFrames('1\nProperties=species:S:1:pos:R:3:c_diameter1:R:1:c_diameter2:R:1:c_diameter3:R:1\nX 0 0 0 2 2 2\n', 's', { semiaxes: [0.5, 0.5, 1.5] });
    expect(Array.from(x[0]!.semiaxes!)).toEqual([0.5, 0.5, 1.5]);
    const i = parseFrames('1\n# CELL(abcABC): 5 5 5 90 90 90 positions{angstrom} cell{angstrom}\nX 0 0 0\n', 's', { semiaxes: [1, 1, 2] });
    expect(Array.from(i[0]!.semiaxes!)).toEqual([1, 1, 2]);
  });
});

describe('format detection', () => {
  it('by extension and by content', async () => {
    expect(formatFromPath('a/b.extxyz')).toBe('extxyz');
    expect(formatFromPath('b.XYZ.gz')).toBe('extxyz');
    expect(formatFromPath('traj.lammpstrj.gz')).toBe('lammps');
    expect(formatFromPath('run/dump.ellipsoids')).toBe('lammps');
    expect(formatFromPath('x.dat')).toBeNull();
    const p = tmp.path('frames.txt');
    writeFileSync(p, '\n\n1\nenergy=1 Properties=species:S:1:pos:R:3\nA 0 0 0\n');
    expect(await detectFormat(p)).toBe('extxyz');
    const frames = await collect(readFrames(p));
    expect(frames[0]!.source).toBe(`${p}:3`);
    expect(frames[0]!.energy).toBe(1);
    // content wins over a misleading extension
    const q = tmp.path('really-lammps.xyz');
    writeFileSync(q, readFileSync(LAMMPS, 'utf8').split('\n').slice(0, 9 + 512).join('\n'));
    expect((await collect(readFrames(q)))[0]!.n).toBe(512);
    const e = tmp.path('empty.lammpstrj');
    writeFileSync(e, '');
    expect(await detectFormat(e)).toBe('lammps');
    expect(await collect(readFrames(e))).toEqual([]);
  });

  it('the synchronous line reader gives the same frames as the stream', async () => {
    const lines = readFileSync(referencePath('gayberne/gb_dimers.extxyz'), 'utf8').split('\n');
    const sync = [...readFramesSync({ lines, source: referencePath('gayberne/gb_dimers.extxyz') })];
    const streamed = await collect(readFrames(referencePath('gayberne/gb_dimers.extxyz')));
    expect(sync.length).toBe(streamed.length);
    expect(sync[5]).toEqual(streamed[5]);
  });
});
