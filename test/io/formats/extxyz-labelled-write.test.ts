// SPDX-License-Identifier: BSD-3-Clause
/**
 * Labelled ellipsoid frames written by the extxyz format in the layout of the shared Gay–Berne
 * data (`gb_configs_train.extxyz`): read back by an independent reader and by ours.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cell } from '../../../src/core/cell.js';
import type { FrameInput } from '../../../src/io/frame.js';
import { FrameWriter } from '../../../src/io/write-frames.js';
import { expectCode } from '../../support/assertions.js';
import { column, parseExtxyz, parsePyDict } from '../../support/extxyz-lite.js';
import { randomQuaternion, seededRandom } from '../../support/random.js';
import { parseFrames } from '../../support/trajectory-fixtures.js';
import { referencePath } from '../../support/reference-data.js';

const SHARED = referencePath('gayberne/gb_configs_train.extxyz');

/** A labelled frame of the shared layout: `config_id` and `source` go in the info. */
type LabelledSample = FrameInput & { positions: Float64Array; orientations: Float64Array; semiaxes: Float64Array; configId: string; source: string };

/** One frame as text, full precision (the extxyz format's default). */
const formatLabelledFrame = (f: LabelledSample): string =>
  new FrameWriter({ write: () => undefined }, 'extxyz').formatFrame({ ...f, info: { config_id: f.configId, source: f.source, ...f.info } });

function sampleFrame(n: number, seed: number): LabelledSample {
  const rand = seededRandom(seed);
  const r = (k: number, s = 1) => Float64Array.from({ length: k }, () => s * (rand() - 0.5));
  const orientations = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) orientations.set(randomQuaternion(rand), 4 * i);
  const energies = r(n, 3);
  return {
    positions: r(3 * n, 10),
    orientations,
    semiaxes: Float64Array.from({ length: 3 * n }, (_, k) => [0.5, 0.5, 1.5][k % 3]!),
    cell: Cell.fromRows([7.1, 0, 0, 0.4, 6.9, 0, -0.3, 0.2, 8.3]),
    configId: `rand_${seed}`,
    source: 'random_insertion',
    energy: energies.reduce((a, x) => a + x, 0),
    forces: r(3 * n, 200),
    torques: r(3 * n, 50),
    energies,
    info: { units: 'lj', rho: 0.2, T_md: 1.1, gb_params: "{'kappa':3,'kappa_p':5}" },
  };
}

describe('extxyz format: labelled frames', () => {
  it('writes the layout of the shared gb_configs_train.extxyz', () => {
    const text = formatLabelledFrame(sampleFrame(3, 1));
    const ours = text.split('\n')[1]!;
    const shared = readFileSync(SHARED, 'utf8').split('\n', 2)[1]!;
    const props = (line: string) => /Properties=(\S+)/.exec(line)![1];
    expect(props(ours)).toBe(props(shared));
    expect(ours).toMatch(/ energy=\S+ quat_order=wxyz_body_to_lab config_id=rand_1 source=random_insertion units=lj rho=0\.2 T_md=1\.1 /);
    expect(ours).toMatch(/pbc="T T T"$/);
  });

  it('round-trips exactly (full precision) through an independent extxyz reader', () => {
    const frames = [sampleFrame(5, 2), { ...sampleFrame(4, 3), virial: [1.5, -2, 0.25, -2, 3e-17, 7, 0.25, 7, -1 / 3] }];
    const text = frames.map((f) => formatLabelledFrame(f)).join('');
    const back = parseExtxyz(text);
    expect(back.length).toBe(2);
    frames.forEach((f, k) => {
      const b = back[k]!;
      expect(b.n).toBe(f.positions.length / 3);
      for (const [name, values] of [
        ['pos', f.positions], ['quat', f.orientations], ['semiaxes', f.semiaxes],
        ['forces', f.forces!], ['torques', f.torques!], ['energies', f.energies!],
      ] as const) {
        expect(Array.from(column(b, name))).toEqual(Array.from(values));
      }
      expect(Array.from(b.lattice!)).toEqual(Array.from(f.cell.h));
      expect(b.pbc).toEqual([true, true, true]);
      expect(Number(b.info.energy)).toBe(f.energy);
      expect(b.info.config_id).toBe(f.configId);
      expect(b.info.source).toBe('random_insertion');
      expect(b.info.quat_order).toBe('wxyz_body_to_lab');
      expect(b.columns.species!.strings).toEqual(new Array(b.n).fill('X'));
      expect(parsePyDict(b.info.gb_params!)).toEqual({ kappa: 3, kappa_p: 5 });
    });
    expect(back[0]!.info.virial).toBeUndefined();
    expect(back[1]!.info.virial!.split(' ').map(Number)).toEqual(frames[1]!.virial);
    const ours = parseFrames(text, 'l.extxyz', { requireOrientations: true, requireShapes: true });
    frames.forEach((f, k) => {
      expect(ours[k]!.energies).toEqual(f.energies);
      expect(ours[k]!.forces).toEqual(f.forces);
      expect(ours[k]!.energy).toBe(f.energy);
      expect(ours[k]!.info.config_id).toBe(f.configId);
    });
    expect(ours[0]!.virial).toBeUndefined();
    expect(Array.from(ours[1]!.virial!)).toEqual(frames[1]!.virial);
  });

  it('omits labels that are not given', () => {
    const f = sampleFrame(2, 4);
    const text = formatLabelledFrame({ ...f, forces: null, torques: undefined, energies: null, energy: undefined });
    expect(text).toMatch(/Properties=species:S:1:pos:R:3:quat:R:4:semiaxes:R:3 /);
    expect(text).not.toMatch(/energy=|virial=/);
    expect(parseExtxyz(text)[0]!.columns.forces).toBeUndefined();
  });

  it('rejects wrong lengths', () => {
    const f = sampleFrame(3, 5);
    expectCode(() => formatLabelledFrame({ ...f, orientations: new Float64Array(8) }), 'E_SIZE', /quat.*length 8, expected 12/);
    expectCode(() => formatLabelledFrame({ ...f, torques: new Float64Array(3) }), 'E_SIZE', /torques/);
    expectCode(() => formatLabelledFrame({ ...f, virial: [1, 2, 3] }), 'E_SIZE', /virial.*length 3, expected 9/);
    expectCode(() => formatLabelledFrame({ ...f, positions: new Float64Array(7) }), 'E_SIZE', /not a multiple of 3/);
  });
});
