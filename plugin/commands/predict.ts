// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive predict MODEL IN.xyz --out OUT.xyz`: energies, forces and lab-frame torques (and the
 * virial) of every frame of IN.xyz with a trained model, written as extended XYZ:
 *
 * ```
 * Properties=species:S:1:pos:R:3:quat:R:4:semiaxes:R:3:forces:R:3:torques:R:3  energy=… virial="…"
 * ```
 * Input and output are in the model's units (those of its training data; the model file says
 * which). When IN.xyz carries reference labels (same keys as training), the errors are printed.
 */
import { writeFileAtomically } from '../../src/io/atomic-write.js';
import { FrameWriter } from '../../src/io/write-frames.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { dataFrames, frameSystem } from './data.js';
import { checkOutputFile } from '../output-check.js';
import { loadModelWithCalculator, registryCalculator, type CalculatorFactory } from '../config/model-io.js';

/** Flags of `anisodrive predict`. */
export interface PredictFlags {
  out: string;
  orientationKey?: string;
  quatOrder?: 'wxyz' | 'xyzw';
  semiaxes?: [number, number, number];
  threads?: number;
  quiet?: boolean;
}

/** Injected parts (tests). */
export interface PredictDeps {
  createCalculator?: CalculatorFactory;
  print?: (line: string) => void;
}

/** Run `predict`; returns the exit code. */
export async function predictCommand(modelPath: string, input: string, flags: PredictFlags, deps: PredictDeps = {}): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(line + '\n'));
  checkOutputFile(flags.out);
  const { model, calculator } = loadModelWithCalculator(modelPath, deps.createCalculator ?? registryCalculator, flags.threads !== undefined ? { threads: flags.threads } : {});
  const species = { ids: model.species, names: model.speciesNames };
  const provider = new LinearEnergyProvider(calculator, { weights: model.weights, baselines: model.baselines, name: 'model' });
  const sq = { energy: 0, forces: 0, torques: 0 };
  const cnt = { energy: 0, forces: 0, torques: 0 };
  let frames = 0;
  try {
    // Written to a temporary file renamed on success: a bad frame leaves no partial output.
    await writeFileAtomically(flags.out, async (sink) => {
    const writer = new FrameWriter(sink, 'extxyz', { precision: 'full' });
    for (const frame of dataFrames(input, {
      ...(flags.orientationKey ? { orientationKey: flags.orientationKey } : {}),
      ...(flags.quatOrder ? { quaternionOrder: flags.quatOrder } : {}),
      semiaxes: flags.semiaxes ?? null,
    })) {
      const system = frameSystem(frame, species, input);
      const r = provider.compute(system);
      if (frame.energy !== undefined) {
        sq.energy += ((r.energy - frame.energy) / frame.n) ** 2;
        cnt.energy++;
      }
      for (const [q, ref, pred] of [['forces', frame.forces, r.forces], ['torques', frame.torques, r.torques]] as const) {
        if (!ref || !pred) continue;
        for (let k = 0; k < ref.length; k++) sq[q] += (pred[k]! - ref[k]!) ** 2;
        cnt[q] += ref.length;
      }
      await writer.writeFrame({
        species: frame.species,
        positions: frame.positions,
        cell: frame.cell,
        orientations: frame.orientations ?? null,
        semiaxes: frame.semiaxes ?? null,
        forces: r.forces,
        torques: r.torques,
        energy: r.energy,
        virial: r.virial,
        info: { model_units: `${model.units.length.name},${model.units.energy.name}` },
      });
      frames++;
      if (!flags.quiet && frames % 100 === 0) process.stderr.write(`predict: ${frames} frames\n`);
    }
    });
  } finally {
    calculator.close?.();
  }
  print(`anisodrive predict: ${frames} frames → ${flags.out} (units ${model.units.length.name}, ${model.units.energy.name})`);
  for (const q of ['energy', 'forces', 'torques'] as const) {
    if (cnt[q] > 0) print(`  ${q.padEnd(8)} RMSE vs reference ${Math.sqrt(sq[q] / cnt[q]).toPrecision(4)}${q === 'energy' ? ' per particle' : ''} (${cnt[q]} values)`);
  }
  return 0;
}
