// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive train` with several feature blocks (a body-ordered model: per-block penalty
 * multipliers chosen by the CV, a model file with every block) and with `search` (a
 * hyper-parameter chosen by the CV: the pair features' declared shape on Gay–Berne data, where the
 * true shape must win), in-process with the real pair calculator on a small GB(3,5,2,1) set.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { insertEllipsoids, labelWithGayBerne } from '../../src/datasets/gay-berne-dataset.js';
import { FrameWriter } from '../../src/io/write-frames.js';
import { loadModel } from '../../src/models/model-file.js';
import { modelCalculator } from '../../src/models/model-calculator.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { readFrames } from '../../src/io/read-frames.js';
import { GayBerne } from '../../src/potentials/gay-berne.js';
import { registryCalculator } from '../../plugin/config/model-io.js';
import { trainCommand } from '../../plugin/commands/train.js';

const SHAPE = [0.5, 0.5, 1.5];
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'anisodrive-blocks-'));
  const { gayBerne } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4, truncation: 'switch', switchWidth: 0.5 });
  const text: string[] = [];
  const writer = new FrameWriter({ write: () => undefined }, 'extxyz');
  for (let k = 0; k < 14; k++) {
    const system = insertEllipsoids({ n: 40, semiaxes: SHAPE, seed: 100 + k, density: 0.12 });
    const labels = labelWithGayBerne(gayBerne, system);
    text.push(writer.formatFrame({ ...system, types: null, ...labels, info: { units: 'lj' } }));
  }
  writeFileSync(join(dir, 'gb.extxyz'), text.join(''));
});

/** Write `config` (with data and outputs filled in) next to the data and train quietly; returns the printed lines. */
async function train(name: string, config: Record<string, unknown>): Promise<{ lines: string[]; report: Record<string, any>; modelPath: string }> {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({
    data: { files: ['gb.extxyz'] },
    weights: { energy: 10, forces: 1, torques: 1 },
    regularisation: { cvFolds: 3, lambdas: { min: 1e-9, max: 1e-3, count: 4 } },
    learningCurve: [1],
    split: { testFraction: 0.25, seed: 3 },
    output: { model: `${name}.msgpack`, report: `${name}-report` },
    ...config,
  }));
  const lines: string[] = [];
  await trainCommand({ config: path, quiet: true }, { print: (l) => lines.push(l) });
  return { lines, report: JSON.parse(readFileSync(join(dir, `${name}-report`, 'report.json'), 'utf8')), modelPath: join(dir, `${name}.msgpack`) };
}

const pair = (extra: Record<string, unknown> = {}) => ({ kind: 'pair', cutoff: 4, switchWidth: 0.5, shape: SHAPE, maxDegree: 4, nRadial: 6, ...extra });

describe('train: feature blocks and search', () => {
  it('two blocks: multipliers chosen by the CV, a model file with both blocks that predicts what was trained', async () => {
    const { lines, report, modelPath } = await train('two', {
      features: [pair(), pair({ radialCoordinate: 'distance', maxDegree: 2, nRadial: 4 })],
      regularisation: { cvFolds: 3, lambdas: { min: 1e-9, max: 1e-3, count: 4 }, blockPenalties: [0.1, 1, 10] },
    });
    expect(lines.join('\n')).toMatch(/2 feature block\(s\)/);
    expect(lines.join('\n')).toMatch(/block 0: pair, F = 36 features per type/);
    expect(lines.join('\n')).toMatch(/block 1: pair, F = 8 features per type/);
    expect(lines.join('\n')).toMatch(/block penalty multipliers \[1, (0\.1|1|10)\]/);
    expect(report.blocks).toEqual([{ kind: 'pair', featureCount: 36 }, { kind: 'pair', featureCount: 8 }]);
    expect(report.blockPenalties.search.map((p: { multipliers: number[] }) => p.multipliers)).toEqual([[1, 0.1], [1, 1], [1, 10]]);
    const losses = report.blockPenalties.search.map((p: { loss: number }) => p.loss);
    expect(report.blockPenalties.chosen).toEqual(report.blockPenalties.search[losses.indexOf(Math.min(...losses))].multipliers);

    const model = loadModel(readFileSync(modelPath));
    expect(model.features.map((b) => [b.kind, b.featureCount, b.hypers.radialCoordinate])).toEqual([['pair', 36, 'contact'], ['pair', 8, 'distance']]);
    // The model's own calculator (both blocks) predicts the GB forces of the data (relative RMSE
    // over every frame, training and test).
    const calc = modelCalculator(model, registryCalculator);
    expect(calc.metadata.featureCount).toBe(44);
    const provider = new LinearEnergyProvider(calc, { weights: model.weights, baselines: model.baselines });
    let se = 0, ss = 0;
    for await (const frame of readFrames(join(dir, 'gb.extxyz'))) {
      const r = provider.compute({ ...frame, types: null });
      for (let k = 0; k < r.forces.length; k++) {
        se += (r.forces[k]! - frame.forces![k]!) ** 2;
        ss += frame.forces![k]! ** 2;
      }
    }
    expect(Math.sqrt(se / ss)).toBeLessThan(0.1);
    calc.close?.();
  });

  it('search: the CV picks the true shape of the Gay–Berne particles for the contact coordinate', async () => {
    const { lines, report } = await train('shape', {
      features: pair(),
      search: [{ hyper: 'shape', values: [[0.5, 0.5, 1.0], SHAPE, [0.5, 0.5, 2.0]] }],
    });
    expect(report.search.map((r: { values: { shape: number[] } }) => r.values.shape)).toEqual([[0.5, 0.5, 1.0], SHAPE, [0.5, 0.5, 2.0]]);
    const losses = report.search.map((r: { cvLoss: number }) => r.cvLoss);
    expect(losses.indexOf(Math.min(...losses))).toBe(1);
    expect(Math.min(losses[0], losses[2]) / losses[1]).toBeGreaterThan(3);
    expect(report.config.features.shape).toEqual(SHAPE);
    expect(report.config.features.radialMin).toBe(0.5); // defaults follow the candidate's shape
    expect(lines.join('\n')).toMatch(/chose shape=\[0\.5,0\.5,1\.5\] \(smallest CV loss\)/);
    expect(lines.join('\n')).toMatch(/candidate 1\/3 \(shape=\[0\.5,0\.5,1\]\): CV loss/);
  });

  it('refuses a search of a block that does not exist, or a candidate value that is not valid, naming it', async () => {
    const err = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: unknown) => e as AnisoError);
    const e1 = await err(train('bad1', { features: pair(), search: [{ block: 2, hyper: 'shape', values: [SHAPE] }] }));
    expect(e1.code).toBe('E_CONFIG');
    expect(e1.message).toMatch(/search: block 2 does not exist \(the configuration has 1 feature block\(s\)\)/);
    const e2 = await err(train('bad2', { features: pair(), search: [{ hyper: 'shape', values: [SHAPE, [1, 1, 1]] }] }));
    expect(e2.message).toMatch(/search candidate shape=\[1,1,1\]/);
    expect(e2.message).toMatch(/features\.shape: shape = \[1,1,1\] is a sphere/);
    const e3 = await err(train('bad3', { features: pair(), search: [{ hyper: 'tpyo', values: [1] }] }));
    expect(e3.message).toMatch(/unknown hyper-parameter 'tpyo'/);
  });
});
