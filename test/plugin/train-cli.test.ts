// SPDX-License-Identifier: BSD-3-Clause
/**
 * The model commands: `train` (model file, report, figures), `predict`, a `model` potential in
 * `drive` configs, `featurize`, and the exit code and message of bad train configurations. The
 * machinery is checked in-process with the toy feature calculator (exact recovery), and end to end
 * through the compiled CLI with the real AniSOAP calculator on a tiny Gay–Berne training set.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import type { LabelledSystem } from '../../src/models/design.js';
import { loadModel } from '../../src/models/model-file.js';
import { GayBerne } from '../../src/potentials/gay-berne.js';
import { buildProvider } from '../../plugin/config/build-provider.js';
import { validate } from '../../plugin/config/load.js';
import { DriverConfigSchema } from '../../plugin/config/schema.js';
import type { CalculatorFactory } from '../../plugin/config/model-io.js';
import { predictCommand } from '../../plugin/commands/predict.js';
import { trainCommand } from '../../plugin/commands/train.js';
import { numericalForces } from '../support/finite-difference.js';
import { extxyzText, parseFrames } from '../support/trajectory-fixtures.js';
import { killAll, PYTHON, startCli } from '../support/processes.js';
import { requirePython } from '../support/python-prerequisite.js';
import { randomQuaternion, seededRandom } from '../support/random.js';
import { randomWeights, syntheticSet } from '../models/synthetic.js';
import { ToyFeatures } from '../models/toy-features.js';
import { referencePath } from '../support/reference-data.js';
import { chosenLambdaLabel } from '../../plugin/commands/figures.js';
import { QUANTITY_COLOURS } from '../../plugin/plots/palette.js';

afterEach(() => killAll());

/** What the training-data reader requires of a frame. */
const LABELLED = { format: 'extxyz', requireOrientations: true, requireShapes: true } as const;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Labelled frames as extended XYZ text (quat, semiaxes, forces, torques, energy). */
function toExtxyz(frames: readonly LabelledSystem[]): string {
  return frames
    .map(({ system: s, labels }) =>
      extxyzText([
        {
          species: Array.from({ length: s.n }, () => 'X'),
          positions: s.positions,
          cell: s.cell,
          orientations: s.orientations!,
          semiaxes: s.semiaxes!,
          forces: labels.forces!,
          torques: labels.torques!,
          energy: labels.energy!,
        },
      ]),
    )
    .join('');
}

const toyFactory: CalculatorFactory = (features) => {
  const h = features.hypers as { centres?: number[]; cutoff: number };
  return new ToyFeatures({ centres: h.centres ?? [1, 2, 3], width: 0.7, cutoff: h.cutoff, species: [0] });
};

function trainConfig(extra: Record<string, unknown> = {}) {
  return {
    data: { files: ['train.extxyz'] },
    units: { length: { name: 'sigma0', toAngstrom: 4 }, energy: { name: 'eps0', toEv: 0.01 } },
    features: { kind: 'anisoap', maxAngular: 2, maxRadial: 1, radialBasis: 'gto', gaussianWidth: 1, cutoff: 3.5, mode: 'md', switchWidth: 1 },
    weights: { energy: 1, forces: 1, torques: 1 },
    split: { testFraction: 0.25, seed: 3 },
    regularisation: { cvFolds: 3, lambdas: [1e-13, 1e-8] },
    learningCurve: [0.5, 1],
    output: { model: 'out/model.msgpack', report: 'out/report' },
    ...extra,
  };
}

describe('train, predict and drive with a test-double calculator', () => {
  const calc = new ToyFeatures({ centres: [1, 2, 3], width: 0.7, cutoff: 3.5, species: [0] });
  const wTrue = randomWeights(calc.metadata.featureCount, 5);
  const frames = syntheticSet(calc, wTrue, Float64Array.of(-0.4), 24, 6);
  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-train-'));
  const printed: string[] = [];

  beforeAll(async () => {
    writeFileSync(join(dir, 'train.extxyz'), toExtxyz(frames));
    writeFileSync(join(dir, 'train.json'), JSON.stringify(trainConfig()));
    const code = await trainCommand({ config: join(dir, 'train.json'), quiet: true }, { createCalculator: toyFactory, print: (l) => printed.push(l) });
    expect(code).toBe(0);
  });

  it('writes a model file that recovers the generating model', () => {
    const model = loadModel(readFileSync(join(dir, 'out/model.msgpack')));
    expect(model.units.length).toEqual({ name: 'sigma0', toAngstrom: 4 });
    expect(model.features).toHaveLength(1);
    expect(model.features[0]!.kind).toBe('anisoap');
    expect(model.features[0]!.hypers).toMatchObject({ maxAngular: 2, species: [0], mode: 'md', switchWidth: 1 });
    // No features.densityWidths: the training data's semi-axes, the same for every particle.
    expect(model.features[0]!.densityWidths).toEqual({ rule: 'fixed', semiaxes: [Array.from(frames[0]!.system.semiaxes!.subarray(0, 3))] });
    expect(model.speciesNames).toEqual(['X']);
    for (let k = 0; k < wTrue.length; k++) expect(model.weights[k]).toBeCloseTo(wTrue[k]!, 5);
    expect(model.baselines[0]).toBeCloseTo(-0.4, 5);
    expect(model.training.counts).toMatchObject({ frames: 24, trainFrames: 18, testFrames: 6 });
    expect(model.training.dataFiles).toEqual(['train.extxyz']);
    expect(printed.join('\n')).toMatch(/test \(6 frames\):\n  energy +RMSE/);
  });

  it('writes the report with errors, CV and learning curves, and SVG and PNG figures', () => {
    const report = JSON.parse(readFileSync(join(dir, 'out/report/report.json'), 'utf8'));
    for (const q of ['energy', 'forces', 'torques']) {
      expect(report.errors.test[q].rmse).toBeLessThan(1e-6);
      expect(report.errors.test[q].mae).toBeLessThan(1e-6);
    }
    expect(report.cv).toHaveLength(2);
    expect(report.learningCurve.map((p: { frames: number }) => p.frames)).toEqual([9, 18]);
    expect(report.parity.forces.reference.length).toBeGreaterThan(0);
    for (const name of ['learning-curve', 'cv-curve', 'parity-energy', 'parity-forces', 'parity-torques']) {
      const svg = readFileSync(join(dir, 'out/report', `${name}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
      const png = readFileSync(join(dir, 'out/report', `${name}.png`));
      expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
      expect(png.length).toBeGreaterThan(1000);
    }
    // Readable at a glance: the chosen λ marked, the energy in its one colour, units on the axes.
    const svg = (name: string) => readFileSync(join(dir, 'out/report', `${name}.svg`), 'utf8');
    expect(svg('cv-curve')).toContain(`>${chosenLambdaLabel(report.lambda.relative)}</text>`);
    expect(svg('parity-energy')).toContain(`fill="${QUANTITY_COLOURS.energy}"`);
    expect(svg('learning-curve')).toContain(`stroke="${QUANTITY_COLOURS.energy}"`);
    expect(svg('cv-curve')).toContain(`stroke="${QUANTITY_COLOURS.energy}"`);
    expect(svg('parity-torques')).toContain(`fill="${QUANTITY_COLOURS.torques}"`);
    expect(svg('learning-curve')).toContain(`>energy RMSE (${report.config.units.energy.name})</text>`);
  });

  it('predicts energies, forces and torques of every frame as extxyz', async () => {
    const out = join(dir, 'pred.extxyz');
    const lines: string[] = [];
    await predictCommand(join(dir, 'out/model.msgpack'), join(dir, 'train.extxyz'), { out, quiet: true }, { createCalculator: toyFactory, print: (l) => lines.push(l) });
    const pred = parseFrames(readFileSync(out, 'utf8'), out, LABELLED);
    expect(pred).toHaveLength(frames.length);
    pred.forEach((p, k) => {
      expect(p.energy).toBeCloseTo(frames[k]!.labels.energy!, 6);
      for (let c = 0; c < 3 * p.n; c++) {
        expect(p.forces![c]).toBeCloseTo(frames[k]!.labels.forces![c]!, 6);
        expect(p.torques![c]).toBeCloseTo(frames[k]!.labels.torques![c]!, 6);
      }
    });
    expect(lines.join('\n')).toMatch(/24 frames/);
    expect(lines.join('\n')).toMatch(/forces +RMSE vs reference/);
  });

  it('serves the model in drive configs behind a mapping, in Å and eV, path relative to the config', () => {
    const config = validate(
      DriverConfigSchema,
      { units: { system: 'lj', sigma: 4, epsilon: 0.01, mass: 100 }, mapping: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.5], bondLength: 1 }, potentials: [{ kind: 'model', file: 'out/model.msgpack' }] },
      'drive.json',
    );
    const provider = buildProvider(config, { baseDir: dir, createCalculator: toyFactory });
    const f = frames[0]!.system;
    // Dumbbell sites (Å) of frame 0: centre ± ½ bond along body z.
    const n = f.n;
    const sites = new Float64Array(6 * n);
    for (let i = 0; i < n; i++) {
      const [w, x, y, z] = Array.from(f.orientations!.subarray(4 * i, 4 * i + 4));
      const u = [2 * (x! * z! + w! * y!), 2 * (y! * z! - w! * x!), 1 - 2 * (x! * x! + y! * y!)];
      for (let a = 0; a < 3; a++) {
        sites[6 * i + a] = 4 * (f.positions[3 * i + a]! - 0.5 * u[a]!);
        sites[6 * i + 3 + a] = 4 * (f.positions[3 * i + a]! + 0.5 * u[a]!);
      }
    }
    const system: ParticleSystem = { n: 2 * n, positions: sites, cell: Cell.fromRows(f.cell.h.map((v) => 4 * v)) };
    const r = provider.compute(system);
    expect(r.energy).toBeCloseTo(0.01 * frames[0]!.labels.energy!, 6);
    const fd = numericalForces((s) => provider.compute(s).energy, system, 1e-5);
    for (let k = 0; k < 6 * n; k++) expect(r.forces[k]).toBeCloseTo(fd[k]!, 6);
  });

  it('takes the test set from separate files when data.testFiles is given', async () => {
    writeFileSync(join(dir, 'test.extxyz'), toExtxyz(frames.slice(0, 5)));
    writeFileSync(join(dir, 'train2.json'), JSON.stringify(trainConfig({ data: { files: ['train.extxyz'], testFiles: ['test.extxyz'] }, output: { model: 'out2/m.msgpack', report: 'out2/r' } })));
    await trainCommand({ config: join(dir, 'train2.json'), quiet: true }, { createCalculator: toyFactory, print: () => undefined });
    const model = loadModel(readFileSync(join(dir, 'out2/m.msgpack')));
    expect(model.training.counts).toMatchObject({ frames: 29, trainFrames: 24, testFrames: 5 });
    expect(model.training.dataFiles).toEqual(['train.extxyz', 'test:test.extxyz']);
    expect(model.training.errors.test.forces!.count).toBe(3 * frames.slice(0, 5).reduce((s, f) => s + f.system.n, 0));
  });

  it('refuses a model potential without an ellipsoid mapping, or a missing model file', () => {
    const identity = validate(DriverConfigSchema, { potentials: [{ kind: 'model', file: 'out/model.msgpack' }] }, 'd.json');
    expect(() => buildProvider(identity, { baseDir: dir, createCalculator: toyFactory })).toThrow(/model potential acts on ellipsoids/);
    const missing = validate(DriverConfigSchema, { mapping: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.5] }, potentials: [{ kind: 'model', file: 'nope.msgpack' }] }, 'd.json');
    expect(() => buildProvider(missing, { baseDir: dir, createCalculator: toyFactory })).toThrow(/cannot read model file .*nope\.msgpack/);
  });
});

describe('anisodrive train: bad configurations', () => {
  it('exits 2 naming the JSON path of each bad value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-badtrain-'));
    const bad = trainConfig({ weights: { energy: 1, forces: -1 }, split: { testFraction: 2 } });
    (bad.features as Record<string, unknown>).maxAngular = 1.5;
    writeFileSync(join(dir, 'train.json'), JSON.stringify(bad));
    const d = await startCli(['train', '--config', join(dir, 'train.json')], { timeoutMs: 30_000 }).done;
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/invalid configuration in .*train\.json/);
    expect(d.stderr).toMatch(/weights\.forces: weights\.forces must be ≥ 0 \(got -1\)/);
    expect(d.stderr).toMatch(/split\.testFraction: .*\(got 2\)/);
    expect(d.stderr).toMatch(/features\.maxAngular: .*\(got 1\.5\)/);
  });

  it('exits 2 for a missing required field and unknown keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-badtrain-'));
    const { data: _data, ...rest } = trainConfig({ tpyo: 1 });
    void _data;
    writeFileSync(join(dir, 'train.json'), JSON.stringify(rest));
    const d = await startCli(['train', '--config', join(dir, 'train.json')], { timeoutMs: 30_000 }).done;
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/  data: /);
    expect(d.stderr).toMatch(/tpyo/);
  });
});

/** A tiny Gay–Berne GB(3,5,2,1) training set in LJ units: 6 ellipsoids, jittered lattice, random orientations. */
function gayBerneSet(count: number, seed: number): LabelledSystem[] {
  const { gayBerne, semiaxes } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4, truncation: 'switch', switchWidth: 0.5 });
  const rand = seededRandom(seed);
  const out: LabelledSystem[] = [];
  const L = 7.5;
  for (let k = 0; k < count; k++) {
    const n = 6;
    const positions = new Float64Array(3 * n);
    const orientations = new Float64Array(4 * n);
    const sa = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const site = [i % 3, Math.floor(i / 3) % 2, 0];
      positions.set([site[0]! * 2.5 + 0.4 * rand(), site[1]! * 3.75 + 0.4 * rand(), 3.75 * rand()], 3 * i);
      orientations.set(randomQuaternion(rand), 4 * i);
      sa.set(semiaxes, 3 * i);
    }
    const system: ParticleSystem = { n, positions, cell: Cell.orthorhombic(L, L, L), orientations, semiaxes: sa };
    const r = gayBerne.compute(system);
    out.push({ system, labels: { energy: r.energy, forces: r.forces, torques: r.torques } });
  }
  return out;
}

describe('end to end with AniSOAP features on Gay–Berne data (compiled CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-e2e-'));
  const frames = gayBerneSet(16, 7);
  beforeAll(() => {
    writeFileSync(join(dir, 'train.extxyz'), toExtxyz(frames));
    writeFileSync(join(dir, 'train.json'), JSON.stringify(trainConfig({ regularisation: { cvFolds: 3, lambdas: { min: 1e-8, max: 1e-2, count: 4 } }, features: { kind: 'anisoap', maxAngular: 2, maxRadial: 1, radialBasis: 'gto', gaussianWidth: 1, cutoff: 4, mode: 'md', switchWidth: 1 } })));
  });

  it('trains, predicts, featurizes and serves the model', async () => {
    const t = await startCli(['train', '--config', join(dir, 'train.json'), '--quiet'], { timeoutMs: 120_000 }).done;
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/species \[X\], 1 feature block\(s\)/);
    expect(t.stdout).toMatch(/block 0: anisoap, F = \d+ features per type/);
    expect(t.stdout).toMatch(/torques +RMSE/);
    expect(statSync(join(dir, 'out/report/learning-curve.png')).size).toBeGreaterThan(1000);
    const model = loadModel(readFileSync(join(dir, 'out/model.msgpack')));
    expect(model.features[0]!.featureCount).toBe(model.weights.length);

    const p = await startCli(['predict', join(dir, 'out/model.msgpack'), join(dir, 'train.extxyz'), '--out', join(dir, 'pred.extxyz'), '-q'], { timeoutMs: 60_000 }).done;
    expect(p.code).toBe(0);
    expect(parseFrames(readFileSync(join(dir, 'pred.extxyz'), 'utf8'), '<string>', LABELLED)).toHaveLength(16);

    // The drive path: real registry, model in σ0/ε0 converted to Å/eV behind a dumbbell mapping; forces are exact.
    const config = validate(
      DriverConfigSchema,
      { units: { system: 'lj', sigma: 4, epsilon: 0.01, mass: 100 }, mapping: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.5], bondLength: 1 }, potentials: [{ kind: 'model', file: 'out/model.msgpack' }] },
      'drive.json',
    );
    const provider = buildProvider(config, { baseDir: dir });
    const rand = seededRandom(2);
    const sites = new Float64Array(12);
    for (let k = 0; k < 12; k++) sites[k] = 30 * rand();
    for (let a = 0; a < 3; a++) sites[3 + a] = sites[a]! + [4, 0.3, 0.2][a]!;
    for (let a = 0; a < 3; a++) sites[9 + a] = sites[6 + a]! + [0.1, 4, -0.3][a]!;
    const system: ParticleSystem = { n: 4, positions: sites, cell: Cell.orthorhombic(30, 30, 30) };
    const r = provider.compute(system);
    const fd = numericalForces((s) => provider.compute(s).energy, system, 1e-4);
    for (let k = 0; k < 12; k++) expect(r.forces[k]).toBeCloseTo(fd[k]!, 6);

    const f = await startCli(['featurize', join(dir, 'train.extxyz'), '--lmax', '2', '--nmax', '1', '--sigma', '1', '--rcut', '4', '--out', join(dir, 'feat.npy')], { timeoutMs: 60_000 }).done;
    expect(f.stderr).toBe('');
    expect(f.code).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, 'feat.npy.json'), 'utf8'));
    expect(meta.shape).toEqual([96, meta.featureCountNative]);
    requirePython('numpy');
    const shape = execFileSync(PYTHON, ['-c', `import numpy as np; a = np.load('${join(dir, 'feat.npy')}'); print(a.shape, bool(np.isfinite(a).all()))`]).toString().trim();
    expect(shape).toBe(`(96, ${meta.featureCountNative}) True`);
    const m = await startCli(['featurize', join(dir, 'train.extxyz'), '--lmax', '2', '--sigma', '1', '--rcut', '4', '--mean', '--no-self', '--out', join(dir, 'mean.json')], { timeoutMs: 60_000 }).done;
    expect(m.code).toBe(0);
    const mean = JSON.parse(readFileSync(join(dir, 'mean.json'), 'utf8'));
    expect(mean.values).toHaveLength(16);
    expect(mean.hypers.subtractCenterContribution).toBe(true);
  });
});

describe("anisodrive featurize reproduces the AniSOAP package's golden output", () => {
  const GOLDEN = referencePath('anisoap/golden/');
  const maxRel = (a: number[], b: number[]) => {
    let num = 0, den = 0;
    a.forEach((x, k) => {
      num = Math.max(num, Math.abs(x - b[k]!));
      den = Math.max(den, Math.abs(b[k]!));
    });
    expect(a.length).toBe(b.length);
    return num / den;
  };

  it('two species, no self term: per particle (.json) and frame means (.npy), package layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-feat-'));
    const golden = JSON.parse(readFileSync(join(GOLDEN, 'box2sp_gto_noself.json'), 'utf8'));
    const args = [join(GOLDEN, 'box2sp_gto_noself.xyz'), '--lmax', '4', '--sigma', '1.2', '--rcut', '5', '--no-self', '--basis-rcond', '1e-8', '--basis-tol', '1e-3'];
    const a = await startCli(['featurize', ...args, '--out', join(dir, 'f.json')], { timeoutMs: 60_000 }).done;
    expect(a.code).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'));
    expect(out.species).toEqual(['C', 'O']);
    expect(maxRel(out.values.flat(), golden.package_power_spectrum_per_particle[0].flat())).toBeLessThan(1e-8);
    const b = await startCli(['featurize', ...args, '--mean', '--out', join(dir, 'm.npy')], { timeoutMs: 60_000 }).done;
    expect(b.code).toBe(0);
    const bytes = readFileSync(join(dir, 'm.npy'));
    const headerLen = bytes.readUInt16LE(8);
    const values = Array.from(new Float64Array(bytes.buffer.slice(bytes.byteOffset + 10 + headerLen, bytes.byteOffset + bytes.length)));
    expect(values).toHaveLength(152);
    expect(maxRel(values, golden.package_power_spectrum_frame_mean)).toBeLessThan(1e-8);
  });
});
