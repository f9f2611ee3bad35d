// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive coarse-grain` end to end (compiled CLI and in-process): three benzene frames mapped
 * to a gzipped extxyz that our reader reads back (`quat`, semi-axes, forces, torques, molecule
 * ids, info carried) and that matches the CG reference file and the library; a failing frame
 * leaves an existing output byte-identical (exit 1, one line naming frame, file:line, molecule
 * and deviation); molecule file errors exit 2 naming the field, value and unit; input without
 * forces gives ellipsoids without forces; the JSON Schema on disk is the generated one.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coarseGrainCommand } from '../../plugin/commands/coarse-grain.js';
import { validate } from '../../plugin/config/load.js';
import { moleculeJsonSchema, MoleculeFileSchema } from '../../plugin/config/molecule-schema.js';
import { AnisoError } from '../../src/core/errors.js';
import type { Frame } from '../../src/io/frame.js';
import { CoarseGrainer } from '../../src/mapping/coarse-grain.js';
import { rejection } from '../support/assertions.js';
import { BENZENE_AA, BENZENE_CG, BENZENE_MOLECULE_FILE, benzeneDefinition, framesOf } from '../support/benzene.js';
import { killAll, ROOT, startCli } from '../support/processes.js';

afterEach(() => killAll());

const dir = mkdtempSync(join(tmpdir(), 'anisodrive-cg-'));
const LINES_PER_FRAME = 2592 + 2;
let aaLines: string[] = [];
/** The first three atomistic frames (0, 10, 20 of the CG file). */
const SMALL = join(dir, 'small.extxyz');
/** The same with atom 4 of molecule 17 in frame 2 moved by 0.3 Å along z. */
const DISTORTED = join(dir, 'distorted.extxyz');
const MOLECULE = JSON.parse(readFileSync(BENZENE_MOLECULE_FILE, 'utf8')) as Record<string, unknown>;
const quiet = { print: () => undefined };

beforeAll(() => {
  aaLines = gunzipSync(readFileSync(BENZENE_AA)).toString('utf8').split('\n');
  const small = aaLines.slice(0, 3 * LINES_PER_FRAME);
  writeFileSync(SMALL, small.join('\n') + '\n');
  const bad = [...small];
  const at = 2 * LINES_PER_FRAME + 2 + 17 * 12 + 4;
  const t = bad[at]!.trim().split(/\s+/);
  t[3] = (Number(t[3]) + 0.3).toFixed(8);
  bad[at] = t.join(' ');
  writeFileSync(DISTORTED, bad.join('\n') + '\n');
});

function moleculeFile(name: string, changes: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ ...MOLECULE, $schema: undefined, ...changes }));
  return path;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

describe('anisodrive coarse-grain', () => {
  it('maps three frames to a gzipped extxyz that reads back as the CG reference (compiled CLI)', async () => {
    const out = join(dir, 'cg.extxyz.gz');
    const r = await startCli(['coarse-grain', SMALL, '--molecule', BENZENE_MOLECULE_FILE, '--out', out], { timeoutMs: 60_000 }).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/coarse-grain: 3 frames of .*small\.extxyz \(216 benzene molecules in the last\) → .*cg\.extxyz\.gz .*forces and torques; largest atom deviation from the reference geometry [0-9.]+e-[89] Å \(tolerance 0\.01 Å\)/);
    expect(r.stderr).toMatch(/coarse-grain: 3\/3/);
    expect(readFileSync(out).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const header = gunzipSync(readFileSync(out)).toString('utf8').split('\n', 2)[1]!;
    expect(header).toMatch(/Properties=species:S:1:pos:R:3:quat:R:4:semiaxes:R:3:forces:R:3:torques:R:3:molecule:I:1 /);

    const written = await framesOf(out);
    const input = await framesOf(SMALL);
    const ref = new Map((await framesOf(BENZENE_CG, (f) => Number(f.info.frame) % 10 === 0 && Number(f.info.frame) < 30)).map((f) => [Number(f.info.frame), f]));
    const grainer = new CoarseGrainer(benzeneDefinition());
    expect(written).toHaveLength(3);
    for (const [k, w] of written.entries()) {
      const cg: Frame = ref.get(10 * k)!;
      const lib = grainer.map(input[k]!, k);
      expect(w.species.every((s) => s === 'X')).toBe(true);
      expect({ frame: w.info.frame, time_fs: w.info.time_fs, temperature_K: w.info.temperature_K, step: w.step, energy: w.energy }).toEqual({
        frame: cg.info.frame, time_fs: cg.info.time_fs, temperature_K: cg.info.temperature_K, step: cg.step, energy: cg.energy,
      });
      expect(Array.from(w.cell.h)).toEqual(Array.from(cg.cell.h));
      // Full precision: what was written is what the library computed, bit for bit (the reader renormalises quaternions: last bit).
      for (const key of ['positions', 'semiaxes', 'forces', 'torques', 'molecules'] as const) expect(Array.from(w[key]!), key).toEqual(Array.from(lib[key]!));
      expect(maxDiff(w.orientations!, lib.orientations)).toBeLessThan(1e-15);
      expect(maxDiff(w.positions, cg.positions)).toBeLessThan(1e-8);
      expect(maxDiff(w.orientations!, cg.orientations!)).toBeLessThan(1e-8);
      expect(maxDiff(w.forces!, cg.forces!)).toBeLessThan(1e-7);
      expect(maxDiff(w.torques!, cg.torques!)).toBeLessThan(1e-7);
      expect(Array.from(w.molecules!)).toEqual(Array.from(cg.molecules!));
    }
  });

  it('a distorted molecule in frame 2: exit 1, one line naming frame, file:line, molecule and deviation; the existing output is unchanged', async () => {
    const out = join(dir, 'kept.extxyz');
    writeFileSync(out, 'an earlier result\n');
    const before = readFileSync(out);
    const r = await startCli(['coarse-grain', DISTORTED, '-m', BENZENE_MOLECULE_FILE, '-o', out, '-q'], { timeoutMs: 60_000 }).done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`error: frame 2 \\(${DISTORTED.replace(/[.]/g, '\\.')}:${2 * LINES_PER_FRAME + 1}\\), molecule 17 \\(sites 204–215\\): atom 4 \\(C\\) is 0\\.[12][0-9]* Å from the best-fit benzene geometry .*tolerance 0\\.01 Å \\[E_MAPPING\\]`));
    expect(r.stdout).toBe('');
    expect(readFileSync(out)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a bad molecule file: exit 2, naming the file, the field, the value and the unit', async () => {
    const bad = moleculeFile('bad-mass.json', { masses: [12.011, 12.011, 12.011, 12.011, 12.011, 12.011, 1.008, -1.008, 1.008, 1.008, 1.008, 1.008] });
    const out = join(dir, 'never.extxyz');
    const r = await startCli(['coarse-grain', SMALL, '-m', bad, '-o', out], { timeoutMs: 60_000 }).done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toMatch(/masses\.7: masses entry = -1\.008 amu, must be > 0/);
    expect(existsSync(out)).toBe(false);
  });

  it('molecule file errors (schema): counts, uniaxial shape, symmetry, unknown keys, tolerance', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ masses: [12, 12] }, /masses: has 2 entries \(amu\), species has 12 atoms/],
      [{ coordinates: [[0, 0, 0], [1, 0, 0]] }, /coordinates: has 2 entries \(\[x, y, z\] Å\), species has 12 atoms/],
      [{ semiaxes: [2, 1, 0.25] }, /semiaxes: symmetry 'uniaxial' needs semiaxes\[0\] = semiaxes\[1\].*got 2 and 1 Å/],
      [{ semiaxes: [2, 2, -0.25] }, /semiaxes\.2: semiaxes\[2\] = -0\.25 Å, must be > 0/],
      [{ symmetry: 'axial' }, /symmetry: symmetry "axial"; allowed: uniaxial, biaxial/],
      [{ tolerance: -1 }, /tolerance: tolerance = -1 Å, must be ≥ 0/],
      [{ species: ['C', 'C', 'C', 'C', 'C', 'C', 'H', 'H', 'H', 'H', 'H', '1'] }, /species\.11: species entry "1" is not a plain name/],
      [{ colour: 'red' }, /colour/],
      [{ headTail: 'yes' }, /headTail: headTail must be true or false/],
    ];
    for (const [changes, pattern] of cases) {
      let err: unknown;
      try {
        validate(MoleculeFileSchema, { ...MOLECULE, ...changes }, 'mol.json');
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(changes)).toBeInstanceOf(AnisoError);
      expect((err as AnisoError).code).toBe('E_CONFIG');
      expect((err as Error).message).toMatch(/^invalid configuration in mol\.json:/);
      expect((err as Error).message).toMatch(pattern);
    }
    const defaults = validate(MoleculeFileSchema, { ...MOLECULE, cgSpecies: undefined, tolerance: undefined, name: undefined }, 'mol.json');
    expect({ cgSpecies: defaults.cgSpecies, tolerance: defaults.tolerance, name: defaults.name }).toEqual({ cgSpecies: 'X', tolerance: 0.01, name: 'molecule' });
  });

  it('input without forces: ellipsoids without forces and torques, --wrap puts the centres in the cell', async () => {
    const lines = readFileSync(SMALL, 'utf8').split('\n').slice(0, LINES_PER_FRAME).map((line, i) => {
      if (i === 0) return line;
      if (i === 1) return line.replace('Properties=species:S:1:pos:R:3:forces:R:3:molecule:I:1', 'Properties=species:S:1:pos:R:3:molecule:I:1');
      const t = line.trim().split(/\s+/);
      return [...t.slice(0, 4), t[7]].join(' ');
    });
    const input = join(dir, 'noforces.extxyz');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'noforces-cg.extxyz');
    const printed: string[] = [];
    expect(await coarseGrainCommand(input, { molecule: BENZENE_MOLECULE_FILE, out, wrap: true, quiet: true }, { print: (l) => printed.push(l) })).toBe(0);
    expect(printed.join('\n')).toMatch(/no forces in the input: no CG forces or torques/);
    const [w] = await framesOf(out);
    expect(w!.forces).toBeUndefined();
    expect(w!.torques).toBeUndefined();
    const L = w!.cell.h[0]!;
    expect(w!.positions.every((x) => x >= 0 && x < L)).toBe(true);
  });

  it('refuses a NaN in the input (E_IO naming file:line), a non-extxyz output name and a missing input, creating nothing', async () => {
    const lines = readFileSync(SMALL, 'utf8').split('\n').slice(0, LINES_PER_FRAME);
    lines[2 + 40] = lines[2 + 40]!.replace(/^(\S+\s+\S+\s+)\S+/, '$1nan');
    const input = join(dir, 'nan.extxyz');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'nan-cg.extxyz');
    const e = await rejection(coarseGrainCommand(input, { molecule: BENZENE_MOLECULE_FILE, out, quiet: true }, quiet));
    expect(e.code).toBe('E_IO');
    expect(e.message).toMatch(new RegExp(`${input.replace(/[.]/g, '\\.')}:43: column 3 \\(pos\\[1\\]\\) is 'nan'`));
    expect(existsSync(out)).toBe(false);
    const e2 = await rejection(coarseGrainCommand(SMALL, { molecule: BENZENE_MOLECULE_FILE, out: join(dir, 'cg.npy'), quiet: true }, quiet));
    expect(e2.code).toBe('E_ARG');
    expect(e2.message).toMatch(/--out .*cg\.npy: coarse-grain writes extended XYZ/);
    const e3 = await rejection(coarseGrainCommand(join(dir, 'missing.extxyz'), { molecule: BENZENE_MOLECULE_FILE, out, quiet: true }, quiet));
    expect(e3.code).toBe('E_IO');
    expect(existsSync(out)).toBe(false);
  });

  it('schema/molecule.schema.json is the generated schema, and the benzene definition validates', () => {
    expect(readFileSync(join(ROOT, 'schema', 'molecule.schema.json'), 'utf8')).toBe(moleculeJsonSchema());
    const m = validate(MoleculeFileSchema, MOLECULE, BENZENE_MOLECULE_FILE);
    expect(m.species).toHaveLength(12);
    expect(m.masses.reduce((a, b) => a + b, 0)).toBeCloseTo(78.114, 10);
  });
});
