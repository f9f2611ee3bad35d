// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive replay`: energies, forces and torques per frame from a driver config's Gay–Berne on a
 * small LAMMPS dump (compiled CLI) and on an extxyz file, equal to `GayBerne.compute`; reduced
 * units scaled consistently; a site trajectory through the configured (mapped) provider; a trained
 * model file; the progress bar; and bad usage.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replayCommand } from '../../plugin/commands/replay.js';
import { trainCommand } from '../../plugin/commands/train.js';
import { buildProvider } from '../../plugin/config/build-provider.js';
import { validate } from '../../plugin/config/load.js';
import type { CalculatorFactory } from '../../plugin/config/model-io.js';
import { DriverConfigSchema } from '../../plugin/config/schema.js';
import { Cell } from '../../src/core/cell.js';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import type { Frame } from '../../src/io/frame.js';
import { readFrames } from '../../src/io/read-frames.js';
import { writeFrames } from '../../src/io/write-frames.js';
import { extxyzText, parseFrames } from '../support/trajectory-fixtures.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { loadModel } from '../../src/models/model-file.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { GayBerne } from '../../src/potentials/gay-berne.js';
import { randomWeights, syntheticSet } from '../models/synthetic.js';
import { ToyFeatures } from '../models/toy-features.js';
import { killAll, startCli } from '../support/processes.js';
import { randomQuaternion, seededRandom } from '../support/random.js';
import { referencePath } from '../support/reference-data.js';

afterEach(() => killAll());

const LC = referencePath('lc/');
const GB3521 = { kind: 'gayberne', kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4, truncation: 'hard' };
const dir = mkdtempSync(join(tmpdir(), 'anisodrive-replay-'));

/** The first `frames` frames of the shared LAMMPS dump, as a file of their own. */
function smallDump(frames: number): string {
  const lines = readFileSync(`${LC}traj_nematic.lammpstrj`, 'utf8').split('\n');
  const path = join(dir, `small${frames}.lammpstrj`);
  writeFileSync(path, lines.slice(0, frames * (9 + 512)).join('\n') + '\n');
  return path;
}

async function readAll(path: string): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of readFrames(path)) out.push(f);
  return out;
}

function expectSame(a: ArrayLike<number>, b: ArrayLike<number>, rel = 0): void {
  expect(a.length).toBe(b.length);
  let worst = 0, scale = 0;
  for (let k = 0; k < a.length; k++) {
    worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
    scale = Math.max(scale, Math.abs(b[k]!));
  }
  expect(worst).toBeLessThanOrEqual(rel * scale);
}

function expectResult(frame: Frame, r: ForceResult, rel = 0): void {
  expect(Math.abs(frame.energy! - r.energy)).toBeLessThanOrEqual(rel * Math.abs(r.energy));
  expectSame(frame.forces!, r.forces, rel);
  if (r.torques) expectSame(frame.torques!, r.torques, rel);
  expectSame(frame.virial!, r.virial, rel === 0 ? 0 : rel);
}

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY, write(t: string) { s.text += t; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('replay with Gay–Berne', () => {
  const dump = smallDump(2);
  const gb = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 }).gayBerne;

  it('a LAMMPS dump (compiled CLI, --config in reduced units): equal to GayBerne.compute, bitwise', async () => {
    const config = join(dir, 'gb-lj.json');
    writeFileSync(config, JSON.stringify({ units: { system: 'lj', sigma: 1, epsilon: 1, mass: 1 }, potentials: [GB3521] }));
    const out = join(dir, 'replay-lammps.extxyz');
    const done = await startCli(['replay', '--config', config, dump, '--out', out]).done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/2 frames of .*small2\.lammpstrj \(ellipsoids\)/);
    expect(done.stderr).toMatch(/replay: 2\/2 \(100%\)/);
    const input = await readAll(dump), got = await readAll(out);
    expect(got).toHaveLength(2);
    got.forEach((f, k) => {
      const src = input[k]!;
      expect(f.step).toBe(src.step);
      expect(f.info.units).toBe('lj');
      expect(Array.from(f.positions)).toEqual(Array.from(src.positions));
      const r = gb.compute({ n: src.n, positions: src.positions, cell: src.cell, orientations: src.orientations! });
      expectResult(f, r);
      // The GB(3,5,2,1) nematic: about −2.9 ε0 per particle (README: production mean −2.94).
      expect(f.energy! / 512).toBeGreaterThan(-3.3);
      expect(f.energy! / 512).toBeLessThan(-2.6);
    });
  });

  it('a malformed second frame: exit 1 naming file:line, and no output file at all', async () => {
    const config = join(dir, 'gb-lj-bad.json');
    writeFileSync(config, JSON.stringify({ units: { system: 'lj', sigma: 1, epsilon: 1, mass: 1 }, potentials: [GB3521] }));
    const text = readFileSync(dump, 'utf8').split('\n');
    const bad = join(dir, 'bad.lammpstrj');
    // Keep frame 0 whole and cut frame 1 short in the middle of its atoms.
    writeFileSync(bad, text.slice(0, text.length - 200).join('\n') + '\n');
    const out = join(dir, 'replay-bad.extxyz');
    const done = await startCli(['replay', '--config', config, bad, '--out', out]).done;
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/bad\.lammpstrj:\d+:/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('replay-bad'))).toEqual([]);
  });

  it('the same reduced numbers when the config declares real scales (σ = 4 Å, ε = 0.01 eV), and in Å/eV with --traj-units real', async () => {
    const config = join(dir, 'gb-lj4.json');
    writeFileSync(config, JSON.stringify({ units: { system: 'lj', sigma: 4, epsilon: 0.01, mass: 100 }, mapping: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.5] }, potentials: [GB3521, { kind: 'restraint', k: 100 }] }));
    const out = join(dir, 'replay-lj4.extxyz');
    const printed: string[] = [];
    await replayCommand([config, dump].slice(1), { config, out, quiet: true }, { print: (l) => printed.push(l) });
    expect(printed.join('\n')).toMatch(/left out the site terms \[restraint\]/);
    const input = await readAll(dump), got = await readAll(out);
    const r0 = gb.compute({ n: 512, positions: input[0]!.positions, cell: input[0]!.cell, orientations: input[0]!.orientations! });
    expectResult(got[0]!, r0, 1e-12);
    // --traj-units real: the same file read as Å, results in eV and eV/Å (GB with σ0 = 4 Å, ε0 = 0.01 eV).
    const outReal = join(dir, 'replay-real.extxyz');
    await replayCommand([dump], { config, out: outReal, trajUnits: 'real', quiet: true }, { print: () => undefined });
    const gbReal = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 4, epsilon0: 0.01, cutoff: 16 }).gayBerne;
    const real = await readAll(outReal);
    expect(real[0]!.info.units).toBe('angstrom,eV');
    expectResult(real[0]!, gbReal.compute({ n: 512, positions: input[0]!.positions, cell: input[0]!.cell, orientations: input[0]!.orientations! }));
  });

  it('an extxyz file of ellipsoids with semi-axes, in Å and eV (units.system real)', async () => {
    const rand = seededRandom(3);
    const cell = Cell.fromRows([24, 0, 0, 3, 22, 0, -2, 1, 25]);
    const path = join(dir, 'ell.extxyz');
    const systems: ParticleSystem[] = [];
    for (let f = 0; f < 3; f++) {
      const n = 30;
      const positions = Float64Array.from({ length: 3 * n }, () => 22 * rand());
      const orientations = new Float64Array(4 * n);
      for (let i = 0; i < n; i++) orientations.set(randomQuaternion(rand), 4 * i);
      const semiaxes = new Float64Array(3 * n);
      for (let i = 0; i < n; i++) semiaxes.set([2, 2, 6], 3 * i);
      systems.push({ n, positions, cell, orientations, semiaxes });
    }
    writeFileSync(path, extxyzText(systems.map((s, k) => ({
      species: Array.from({ length: s.n }, () => 'X'), positions: s.positions, cell, orientations: s.orientations!, semiaxes: s.semiaxes!, step: 100 * k,
    }))));
    const config = join(dir, 'gb-real.json');
    writeFileSync(config, JSON.stringify({ potentials: [{ ...GB3521, sigma0: 4, epsilon0: 0.01, cutoff: 16 }] }));
    const out = join(dir, 'replay-ell.extxyz');
    await replayCommand([path], { config, out, quiet: true }, { print: () => undefined });
    const gbA = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 4, epsilon0: 0.01, cutoff: 16 }).gayBerne;
    const input = await readAll(path), got = await readAll(out);
    got.forEach((f, k) => {
      expect(f.step).toBe(100 * k);
      expect(Array.from(f.semiaxes!)).toEqual(Array.from(systems[k]!.semiaxes!));
      const s = input[k]!;
      expectResult(f, gbA.compute({ n: s.n, positions: s.positions, cell: s.cell, orientations: s.orientations!, semiaxes: s.semiaxes! }));
    });
  });

  it('a site trajectory (dumbbells, Å) goes through the provider drive serves: mapping, GB and restraint', async () => {
    const driver = { units: { system: 'lj', sigma: 4, epsilon: 0.01, mass: 100 }, mapping: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.5], bondLength: 1 }, potentials: [{ ...GB3521, truncation: 'switch', switchWidth: 0.5 }, { kind: 'restraint', k: 3200 }] };
    const config = join(dir, 'driver.json');
    writeFileSync(config, JSON.stringify(driver));
    const ell = (await readAll(dump))[0]!;
    const m = new DumbbellMapping({ semiaxes: [2, 2, 6], length: 4.2 }); // sites 4.2 Å apart (restraint stretched)
    const cell = Cell.fromRows(ell.cell.h.map((x) => 4 * x));
    const sites = m.toSites({ n: ell.n, positions: ell.positions.map((x) => 4 * x), cell, orientations: ell.orientations! });
    const path = join(dir, 'sites.extxyz');
    await writeFrames(path, [{ positions: sites.positions, cell, species: Array.from({ length: sites.n }, () => 'C') }]);
    const out = join(dir, 'replay-sites.extxyz');
    await replayCommand([path], { config, out, quiet: true }, { print: () => undefined });
    const [f] = await readAll(out);
    expect(f!.orientations).toBeUndefined();
    expect(f!.info.units).toBe('angstrom,eV');
    const input = (await readAll(path))[0]!;
    const provider = buildProvider(validate(DriverConfigSchema, driver, 'driver.json'));
    expectResult(f!, provider.compute({ n: input.n, positions: input.positions, cell: input.cell }));
  });

  it('progress bar on a terminal; bad usage', async () => {
    const config = join(dir, 'gb-lj.json');
    const stream = fakeStream(true);
    await replayCommand([dump], { config, out: join(dir, 'p.extxyz') }, { print: () => undefined, progressStream: stream });
    expect(stream.text).toMatch(/\rreplay \[#+\] 2\/2/);
    await expect(replayCommand([dump, dump], { config, out: join(dir, 'x.extxyz') })).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/--config FILE TRAJ or MODEL TRAJ/) });
    const usage = await startCli(['replay', dump, '--out', join(dir, 'x.extxyz')]).done;
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/replay needs --config FILE TRAJ or MODEL TRAJ/);
    const sites = join(dir, 'pts.extxyz');
    writeFileSync(sites, '2\nLattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:pos:R:3\nC 0 0 0\nC 1 0 0\n');
    const model = await startCli(['replay', join(dir, 'none.msgpack'), sites, '--out', join(dir, 'x.extxyz')]).done;
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/a model acts on ellipsoids, but the trajectory has no orientations/);
  });
});

describe('replay with a trained model', () => {
  const toyFactory: CalculatorFactory = (features) => {
    const h = features.hypers as { centres?: number[]; cutoff: number };
    return new ToyFeatures({ centres: h.centres ?? [1, 2, 3], width: 0.7, cutoff: h.cutoff, species: [0] });
  };
  const calc = new ToyFeatures({ centres: [1, 2, 3], width: 0.7, cutoff: 3.5, species: [0] });
  const frames = syntheticSet(calc, randomWeights(calc.metadata.featureCount, 5), Float64Array.of(-0.4), 16, 6);
  const modelPath = join(dir, 'toy/model.msgpack');
  const data = join(dir, 'toy/data.extxyz');

  beforeAll(async () => {
    mkdirSync(join(dir, 'toy'), { recursive: true });
    const train = {
      data: { files: ['data.extxyz'] },
      units: { length: { name: 'sigma0', toAngstrom: 4 }, energy: { name: 'eps0', toEv: 0.01 } },
      features: { kind: 'anisoap', maxAngular: 2, maxRadial: 1, radialBasis: 'gto', gaussianWidth: 1, cutoff: 3.5, mode: 'md', switchWidth: 1 },
      weights: { energy: 1, forces: 1, torques: 1 },
      split: { testFraction: 0.25, seed: 3 },
      regularisation: { cvFolds: 2, lambdas: [1e-8] },
      learningCurve: [1],
      output: { model: 'model.msgpack', report: 'report' },
    };
    writeFileSync(data, extxyzText(frames.map(({ system: s, labels }) => ({
      species: Array.from({ length: s.n }, () => 'X'), positions: s.positions, cell: s.cell, orientations: s.orientations!, semiaxes: s.semiaxes!,
      forces: labels.forces!, torques: labels.torques!, energy: labels.energy!,
    }))));
    writeFileSync(join(dir, 'toy/train.json'), JSON.stringify(train));
    expect(await trainCommand({ config: join(dir, 'toy/train.json'), quiet: true }, { createCalculator: toyFactory, print: () => undefined })).toBe(0);
  });

  it('MODEL TRAJ: the model in its own units, as LinearEnergyProvider computes it', async () => {
    const out = join(dir, 'toy/replay.extxyz');
    const printed: string[] = [];
    await replayCommand([modelPath, data], { out, quiet: true }, { createCalculator: toyFactory, print: (l) => printed.push(l) });
    expect(printed.join('\n')).toMatch(/16 frames .*\(sigma0,eps0\)/);
    const model = loadModel(readFileSync(modelPath));
    const provider = new LinearEnergyProvider(calc, { weights: model.weights, baselines: model.baselines });
    const got = parseFrames(readFileSync(out, 'utf8'), out);
    const input = await readAll(data);
    expect(got).toHaveLength(16);
    got.forEach((f, k) => {
      const s = input[k]!;
      expectResult(f, provider.compute({ n: s.n, positions: s.positions, cell: s.cell, orientations: s.orientations!, semiaxes: s.semiaxes! }));
      // and the trained model reproduces the labels
      expect(f.energy!).toBeCloseTo(frames[k]!.labels.energy!, 5);
    });
  });
});
