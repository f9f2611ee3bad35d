// SPDX-License-Identifier: BSD-3-Clause
/**
 * A model file carries its own density widths (issue 7): the committed AniSOAP model of
 * examples/gayberne-anisoap (`model-anisoap.msgpack`, trained with Gaussian widths 0.2 × 0.2 × 0.6 σ0, the GB shape being
 * 0.5 × 0.5 × 1.5) gives
 * - in `drive`, bitwise the same energy, forces and virial whatever semi-axes the driver's mapping
 *   declares, equal to the old driver with `mapping.semiaxes` set to the training widths;
 * - in `predict` and `replay` on GB frames that declare the true shape (0.5, 0.5, 1.5), bitwise the
 *   energies of the model evaluated with its training widths — not those of the file's semi-axes
 *   as widths (the old behaviour: 852 ε0 per particle RMSE on the example's test set instead of 1.2).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import type { AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { readFramesSync } from '../../src/io/read-frames.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { UnitScaledProvider } from '../../src/models/linear-model.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { MappedProvider } from '../../src/mapping/mapped-provider.js';
import { buildProvider } from '../../plugin/config/build-provider.js';
import { validate } from '../../plugin/config/load.js';
import { readModelFile } from '../../plugin/config/model-io.js';
import { DriverConfigSchema } from '../../plugin/config/schema.js';
import { loadInitialState } from '../../plugin/commands/engine.js';
import { predictCommand } from '../../plugin/commands/predict.js';
import { replayCommand } from '../../plugin/commands/replay.js';
import { DUMBBELLS, ROOT } from '../support/processes.js';
import { referencePath } from '../support/reference-data.js';

const EXAMPLE = join(ROOT, 'examples', 'gayberne-anisoap');
const MODEL = join(EXAMPLE, 'model-anisoap.msgpack');
const TRAINING_WIDTHS = [0.2, 0.2, 0.6];
const model = readModelFile(MODEL);
const block = model.features[0]!;

/** The 576 sites of the dumbbell example (Å). */
const { state } = loadInitialState(join(DUMBBELLS, 'init.xyz'), 116, 1);
const sites: ParticleSystem = { n: state.n, positions: state.positions, cell: state.cell };

/** The example's driver config (model term only, the AniSOAP model) with `semiaxes` for the mapping. */
function driverConfig(semiaxes: number[]) {
  const config = JSON.parse(readFileSync(join(EXAMPLE, 'driver-model.json'), 'utf8'));
  config.mapping.semiaxes = semiaxes;
  config.potentials = config.potentials.filter((p: { kind: string }) => p.kind === 'model').map((p: object) => ({ ...p, file: 'model-anisoap.msgpack', threads: 1 }));
  return validate(DriverConfigSchema, config, 'driver-model.json');
}

function expectSame(a: ForceResult, b: ForceResult): void {
  expect(b.energy).toBe(a.energy);
  expect(Array.from(b.forces)).toEqual(Array.from(a.forces));
  expect(Array.from(b.virial)).toEqual(Array.from(a.virial));
}

describe('a model file carries its density widths', () => {
  it('records the training widths and every hyper-parameter', () => {
    expect(block.densityWidths).toEqual({ rule: 'fixed', semiaxes: [TRAINING_WIDTHS] });
    expect(block.hypers).toMatchObject({ maxAngular: 4, maxRadial: 3, gaussianWidth: 0.3, cutoff: 3.5, mode: 'md', switchWidth: 0.5, basisRcond: 0, basisTol: 1e-8 });
  });

  it('drive: bitwise the same forces whatever semi-axes the mapping declares', () => {
    const results = [[0.5, 0.5, 1.5], [0.2, 0.2, 0.6], [0.35, 0.35, 2.5]].map((s) => buildProvider(driverConfig(s), { baseDir: EXAMPLE }).compute(sites));
    expect(results[0]!.energy).not.toBe(0);
    expectSame(results[0]!, results[1]!);
    expectSame(results[0]!, results[2]!);

    // The old driver, with the widths repeated as mapping.semiaxes: the raw calculator behind a mapping that declares them.
    const calc = new AniSoapCalculator(block.hypers as AniSoapHypers);
    const L = model.units.length.toAngstrom, E = model.units.energy.toEv;
    const old = new MappedProvider(
      new DumbbellMapping({ semiaxes: TRAINING_WIDTHS.map((x) => x * L), length: 1 * L }),
      new UnitScaledProvider(new LinearEnergyProvider(calc, { weights: model.weights, baselines: model.baselines }), L, E),
    );
    expectSame(results[0]!, old.compute(sites));
    calc.close();
  });

  it('predict and replay: the energies of the training widths, not of the semi-axes the file declares', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-widths-'));
    // Three LAMMPS GB(3,5,2,1) MD snapshots (semi-axes 0.5, 0.5, 1.5; reduced units, as the model).
    const text = readFileSync(referencePath('gayberne/gb_configs_train.extxyz'), 'utf8');
    const frames = [...readFramesSync({ text, source: 'gb' }, { format: 'extxyz' })].filter((f) => String(f.info.config_id).startsWith('mdA_')).slice(0, 3);
    expect(frames).toHaveLength(3);
    const lines = text.split('\n');
    const data = join(dir, 'md.extxyz');
    writeFileSync(data, frames.map((f) => lines.slice(f.line - 1, f.line + f.n + 1).join('\n')).join('\n') + '\n');

    const printed: string[] = [];
    await predictCommand(MODEL, data, { out: join(dir, 'pred.extxyz'), quiet: true, threads: 1 }, { print: (l) => printed.push(l) });
    await replayCommand([MODEL, data], { out: join(dir, 'replay.extxyz'), quiet: true, threads: 1 }, { print: () => undefined });
    const predicted = [...readFramesSync({ text: readFileSync(join(dir, 'pred.extxyz'), 'utf8'), source: 'pred' }, { format: 'extxyz' })];
    const replayed = [...readFramesSync({ text: readFileSync(join(dir, 'replay.extxyz'), 'utf8'), source: 'replay' }, { format: 'extxyz' })];

    const calc = new AniSoapCalculator(block.hypers as AniSoapHypers);
    const withWidths = (f: (typeof frames)[number], w: number[]) => {
      const linear = new LinearEnergyProvider(calc, { weights: model.weights, baselines: model.baselines });
      const semiaxes = Float64Array.from({ length: 3 * f.n }, (_, k) => w[k % 3]!);
      return linear.compute({ n: f.n, positions: f.positions, cell: f.cell, orientations: f.orientations!, semiaxes });
    };
    let sqTrained = 0, sqShape = 0;
    frames.forEach((f, k) => {
      const ref = withWidths(f, TRAINING_WIDTHS);
      expect(predicted[k]!.energy).toBe(ref.energy);
      expect(replayed[k]!.energy).toBe(ref.energy);
      expect(Array.from(predicted[k]!.forces!)).toEqual(Array.from(ref.forces));
      sqTrained += ((ref.energy - f.energy!) / f.n) ** 2;
      sqShape += ((withWidths(f, [0.5, 0.5, 1.5]).energy - f.energy!) / f.n) ** 2;
    });
    calc.close();
    const rmseTrained = Math.sqrt(sqTrained / 3), rmseShape = Math.sqrt(sqShape / 3);
    expect(printed.join('\n')).toContain(`energy   RMSE vs reference ${rmseTrained.toPrecision(4)} per particle`);
    // Measured: 0.208 ε0 per particle with the training widths, 825 with the file's semi-axes as widths.
    expect(rmseTrained).toBeLessThan(1);
    expect(rmseShape).toBeGreaterThan(100 * rmseTrained);
  });
});
