// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive analyze`: end to end through the compiled CLI on the shared LAMMPS nematic trajectory
 * with the settings of its README (per-frame S2, P4, smectic order and the pair curves against the
 * reference files; the summary means within the stated errors; SVG and PNG plots), frame
 * selection, results independent of the worker count, site trajectories with a mapping, the
 * progress bar on a terminal and plain lines otherwise, and the exit codes of bad usage.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../plugin/commands/analyze.js';
import { readFrames } from '../../src/io/read-frames.js';
import { writeFrames } from '../../src/io/write-frames.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { readCsv, readLammpsDumpLite } from '../support/lammps-dump-lite.js';
import { killAll, startCli } from '../support/processes.js';
import { referencePath } from '../support/reference-data.js';
import { QUANTITY_COLOURS } from '../../plugin/plots/palette.js';

afterEach(() => killAll());

const LC = referencePath('lc/');
const TRAJ = `${LC}traj_nematic.lammpstrj`;
const README_FLAGS = ['--axis', 'z', '--every', '1', '--discard', '0', '--rmax', '5.5', '--nbins', '110', '--smectic-d', '2:5:801'];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ref = readCsv(`${LC}nematic_timeseries.csv`);
const refPair = readCsv(`${LC}nematic_pair.csv`);
const refSummary = JSON.parse(readFileSync(`${LC}nematic_summary.json`, 'utf8')) as { summary: Record<string, { mean: number; sem_blocks: number }> };

function maxAbs(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  a.forEach((x, k) => {
    const y = b[k]!;
    if (Number.isNaN(x) || Number.isNaN(y)) expect(Number.isNaN(x) && Number.isNaN(y)).toBe(true);
    else m = Math.max(m, Math.abs(x - y));
  });
  return m;
}

/** A writable that records what is written, as a terminal or not. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY, write(t: string) { s.text += t; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('anisodrive analyze on the shared nematic trajectory (compiled CLI, README settings)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-analyze-'));
  const out = join(dir, 'out');
  let stdout = '';

  beforeAll(async () => {
    const done = await startCli(['analyze', TRAJ, ...README_FLAGS, '--workers', '2', '--out', out], { timeoutMs: 120_000 }).done;
    expect(done.stderr).toMatch(/analyze: 161\/161 \(100%\)/); // plain progress lines (not a terminal)
    expect(done.code, done.stderr).toBe(0);
    stdout = done.stdout;
  }, 120_000);

  it('order.csv: S2, P4, biaxiality, smectic order and the director of all 161 frames agree with the reference (≤ 1e-10)', () => {
    const got = readCsv(join(out, 'order.csv'));
    expect(got.head).toEqual(['frame', 'step', 'S2', 'S2_mid', 'biaxiality', 'beta2', 'P4', 'smectic', 'smectic_d', 'smectic_pbc', 'smectic_pbc_d', 'director_x', 'director_y', 'director_z']);
    expect(got.col('frame')).toEqual(Array.from({ length: 161 }, (_, k) => k));
    expect(got.col('step')).toEqual(ref.col('step'));
    const pairs: [string, string][] = [['S2', 'S2'], ['S2_mid', 'S2_mid'], ['biaxiality', 'biax'], ['beta2', 'beta2'], ['P4', 'P4'], ['smectic', 'tau'], ['smectic_pbc', 'tau_pbc'], ['director_x', 'nx'], ['director_y', 'ny'], ['director_z', 'nz'], ['smectic_d', 'd_tau'], ['smectic_pbc_d', 'd_tau_pbc']];
    for (const [ours, theirs] of pairs) expect(maxAbs(got.col(ours), ref.col(theirs)), ours).toBeLessThan(1e-10);
  });

  it('pair.csv: r, g and g2 agree with the reference in all 110 bins (NaN where empty); g1 is there', () => {
    const got = readCsv(join(out, 'pair.csv'));
    expect(got.head).toEqual(['r', 'g', 'g1', 'g2']);
    expect(maxAbs(got.col('r'), refPair.col('r'))).toBeLessThan(1e-12);
    expect(maxAbs(got.col('g'), refPair.col('g'))).toBeLessThan(1e-10);
    expect(maxAbs(got.col('g2'), refPair.col('g2'))).toBeLessThan(1e-10);
    expect(got.col('g1').filter(Number.isNaN).length).toBe(18);
  });

  it('summary.json: means within the stated block errors (in fact to 1e-12), with the settings', () => {
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.frames).toBe(161);
    expect(s.options).toMatchObject({ axis: 'z', rmax: 5.5, nbins: 110, dmin: 2, dmax: 5, nd: 801, every: 1, discard: 0, workers: 2 });
    const names: [string, string][] = [['S2', 'S2'], ['S2_mid', 'S2_mid'], ['P4', 'P4'], ['biaxiality', 'biax'], ['beta2', 'beta2'], ['smectic', 'tau'], ['smectic_pbc', 'tau_pbc']];
    for (const [ours, theirs] of names) {
      const a = s.summary[ours], b = refSummary.summary[theirs]!;
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(b.sem_blocks);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-12);
      expect(Math.abs(a.sem_blocks - b.sem_blocks)).toBeLessThan(1e-12);
    }
    expect(stdout).toMatch(/S2 +0\.6819 ± 0\.0105/);
  });

  it('writes the director autocorrelation and SVG + PNG plots', () => {
    const acf = readCsv(join(out, 'autocorr.csv'));
    expect(acf.col('lag')[0]).toBe(0);
    expect(acf.col('C')[0]).toBeCloseTo(1, 14);
    expect(acf.rows.length).toBe(101);
    for (const name of ['order', 'pair']) {
      expect(readFileSync(join(out, `${name}.svg`), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
      const png = readFileSync(join(out, `${name}.png`));
      expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
      expect(png.length).toBeGreaterThan(5000);
    }
  });

  it('plots: length axes say the unit is not known (a LAMMPS dump without ITEM: UNITS), g(r) and S2 in their palette colours', () => {
    const pair = readFileSync(join(out, 'pair.svg'), 'utf8');
    expect(pair).toContain('>r (trajectory length unit)</text>');
    expect(pair).toContain('>g(r)</text>');
    for (const q of ['g', 'g1', 'g2'] as const) expect(pair).toContain(`stroke="${QUANTITY_COLOURS[q]}"`);
    const order = readFileSync(join(out, 'order.svg'), 'utf8');
    expect(order).toContain('>MD step</text>');
    for (const q of ['S2', 'P4', 'smectic', 'autocorrelation'] as const) expect(order).toContain(`stroke="${QUANTITY_COLOURS[q]}"`);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.options).toMatchObject({ length_unit: null, length_unit_source: 'unknown' });
  });
});

describe('anisodrive analyze in-process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-analyze2-'));

  it('--every and --discard select frames; results do not depend on the worker count', async () => {
    const outs: string[] = [];
    for (const workers of [0, 2]) {
      const o = join(dir, `sel-${workers}`);
      const code = await analyzeCommand(TRAJ, { out: o, every: 3, discard: 0.5, rmax: 5, nbins: 50, smecticD: [2, 5, 101], workers, quiet: true }, { print: () => undefined });
      expect(code).toBe(0);
      outs.push(o);
    }
    const got = readCsv(join(outs[0]!, 'order.csv'));
    expect(got.col('frame')).toEqual(Array.from({ length: 27 }, (_, k) => 80 + 3 * k)); // ⌊0.5·161⌋ = 80 skipped
    expect(maxAbs(got.col('S2'), got.col('frame').map((f) => ref.col('S2')[f]!))).toBeLessThan(1e-10);
    for (const f of ['order.csv', 'pair.csv', 'autocorr.csv']) expect(readFileSync(join(outs[1]!, f), 'utf8'), f).toBe(readFileSync(join(outs[0]!, f), 'utf8'));
    const s = JSON.parse(readFileSync(join(outs[0]!, 'summary.json'), 'utf8'));
    expect(s).toMatchObject({ frames: 27, frames_in_file: 161, discarded: 80, every: 3 });
  });

  it('a site trajectory (extxyz dumbbells) with --mapping gives the order of the ellipsoids', async () => {
    const frames = readLammpsDumpLite(TRAJ).slice(0, 3);
    const mappingConfig = { kind: 'dumbbell' as const, semiaxes: [0.5, 0.5, 1.5] as [number, number, number], bondLength: 1 };
    const m = new DumbbellMapping({ semiaxes: mappingConfig.semiaxes, length: 1 });
    const sitesPath = join(dir, 'sites.extxyz');
    await writeFrames(sitesPath, frames.map((f) => {
      const s = m.toSites({ n: f.n, positions: f.positions, cell: f.cell, orientations: f.orientations });
      return { positions: s.positions, cell: f.cell, species: Array.from({ length: s.n }, () => 'C'), step: f.step };
    }));
    writeFileSync(join(dir, 'mapping.json'), JSON.stringify({ mapping: mappingConfig, potentials: [] }));
    const o = join(dir, 'mapped');
    const printed: string[] = [];
    await analyzeCommand(sitesPath, { out: o, mapping: join(dir, 'mapping.json'), rmax: 5.5, nbins: 110, workers: 1, quiet: true }, { print: (l) => printed.push(l) });
    const got = readCsv(join(o, 'order.csv'));
    expect(got.col('step')).toEqual([0, 250, 500]);
    for (const [ours, theirs] of [['S2', 'S2'], ['P4', 'P4'], ['smectic', 'tau'], ['smectic_pbc', 'tau_pbc']] as const) {
      expect(maxAbs(got.col(ours), ref.col(theirs).slice(0, 3)), ours).toBeLessThan(1e-10);
    }
    // Default smectic range from the mapping's semi-axes: [2/3, 5/3] × 3 = [2, 5].
    const s = JSON.parse(readFileSync(join(o, 'summary.json'), 'utf8'));
    expect(s.options).toMatchObject({ dmin: 2, dmax: 5, mapping: 'dumbbell', length_unit: 'Å', length_unit_source: 'extxyz' });
    expect(printed.join('\n')).toMatch(/3 of 3 frames/);
    expect(readFileSync(join(o, 'pair.svg'), 'utf8')).toContain('>r (Å)</text>'); // extxyz lengths are Å
  });

  it('--length-unit names the unit of a reduced-unit trajectory on the length axes and in summary.json', async () => {
    const o = join(dir, 'reduced');
    await analyzeCommand(TRAJ, { out: o, every: 80, rmax: 5, nbins: 20, workers: 0, lengthUnit: 'σ0', quiet: true }, { print: () => undefined });
    expect(readFileSync(join(o, 'pair.svg'), 'utf8')).toContain('>r (σ0)</text>');
    expect(JSON.parse(readFileSync(join(o, 'summary.json'), 'utf8')).options).toMatchObject({ length_unit: 'σ0', length_unit_source: '--length-unit' });
    // A LAMMPS dump that says ITEM: UNITS lj is in σ.
    const lj = join(dir, 'lj.lammpstrj');
    const text = readFileSync(TRAJ, 'utf8').split('ITEM: TIMESTEP').slice(1, 3).map((f) => `ITEM: UNITS\nlj\nITEM: TIMESTEP${f}`).join('');
    writeFileSync(lj, text);
    await analyzeCommand(lj, { out: join(dir, 'lj'), rmax: 5, nbins: 20, workers: 0, quiet: true }, { print: () => undefined });
    expect(readFileSync(join(dir, 'lj', 'pair.svg'), 'utf8')).toContain('>r (σ)</text>');
  });

  it('progress: a redrawn bar on a terminal, plain lines otherwise', async () => {
    for (const tty of [true, false]) {
      const stream = fakeStream(tty);
      await analyzeCommand(TRAJ, { out: join(dir, `p${tty}`), every: 40, workers: 0 }, { print: () => undefined, progressStream: stream });
      if (tty) expect(stream.text).toMatch(/\ranalyze \[#+\] 5\/5/);
      else expect(stream.text).toMatch(/^analyze: 5\/5 \(100%\)/m);
      expect(stream.text.includes('\r')).toBe(tty);
    }
    // Without a shape or --smectic-d, smectic order is not computed (NaN columns, a note).
    const notes: string[] = [];
    await analyzeCommand(TRAJ, { out: join(dir, 'nosm'), every: 80, workers: 0, quiet: true }, { print: (l) => notes.push(l) });
    expect(notes.join('\n')).toMatch(/smectic order not computed/);
    expect(readCsv(join(dir, 'nosm', 'order.csv')).col('smectic').every(Number.isNaN)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'nosm', 'summary.json'), 'utf8')).summary.smectic.n).toBe(0);
  });

  it('the reader streams: the frames match the test-only parser', async () => {
    const lite = readLammpsDumpLite(TRAJ);
    let k = 0;
    for await (const f of readFrames(TRAJ)) {
      if (k % 40 === 0) expect(Array.from(f.positions)).toEqual(Array.from(lite[k]!.positions));
      k++;
    }
    expect(k).toBe(161);
  });

  it('bad usage exits with 2 and a message; a missing file with 1', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--rmax', '6'], 2, /--rmax 6 exceeds half the smallest cell width/],
      [['--discard', '1'], 2, /--discard must be a fraction in \[0, 1\)/],
      [['--smectic-d', '5:2'], 2, /--smectic-d must be DMIN:DMAX/],
      [['--every', '0'], 2, /--every must be an integer ≥ 1/],
      [['--length-unit', 'reduced units'], 2, /--length-unit must be 1 to 16 characters without spaces.*'reduced units'/],
    ];
    for (const [flags, code, message] of cases) {
      const done = await startCli(['analyze', TRAJ, ...flags, '--out', join(dir, 'bad')]).done;
      expect(done.code, flags.join(' ')).toBe(code);
      expect(done.stderr).toMatch(message);
    }
    const sites = join(dir, 'nosites.extxyz');
    writeFileSync(sites, '2\nLattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:pos:R:3\nC 0 0 0\nC 1 0 0\n');
    const none = await startCli(['analyze', sites, '--out', join(dir, 'bad')]).done;
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no orientations.*--mapping/);
    const missing = await startCli(['analyze', join(dir, 'missing.dump'), '--out', join(dir, 'bad')]).done;
    expect(missing.code).toBe(1);
    expect(existsSync(join(dir, 'bad', 'order.csv'))).toBe(false);
  });
});
