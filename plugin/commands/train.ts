// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive train --config train.json`: fit a linear ridge model on AniSOAP features to energies,
 * forces and torques (and virials) of labelled extended XYZ frames, write the model file and a
 * report folder:
 *
 * - `report.json`: the resolved configuration, counts, λ, train/test errors (RMSE, MAE; energies per
 *   particle), the CV curve, the learning curve and parity data (test set);
 * - `learning-curve.svg|png`, `cv-curve.svg|png`, `parity-<quantity>.svg|png`.
 *
 * Status on stdout, progress and warnings on stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AnisoError } from '../../src/core/errors.js';
import { QUANTITIES, type Quantity } from '../../src/models/design.js';
import { resolveDensityWidths, type DensityWidths } from '../../src/features/density-widths.js';
import { featureKind } from '../../src/features/registry.js';
import { modelFromTraining } from '../../src/models/linear-model.js';
import { blockCalculator } from '../../src/models/model-calculator.js';
import { trainLinearModel, type ErrorsByQuantity } from '../../src/models/train.js';
import { loadJsonConfig } from '../config/load.js';
import { checkOutputDirectory, checkOutputFile } from '../output-check.js';
import { createProgress } from '../progress.js';
import { VERSION } from '../version.js';
import { labelledSystems, readFrames, speciesTable } from './data.js';
import { cvCurveSvg, learningCurveSvg, paritySvg, quantityLabel, svgToPng } from './figures.js';
import { registryCalculator, writeModelFile, type CalculatorFactory } from '../config/model-io.js';
import { lambdaGrid, TrainConfigSchema, type TrainConfig } from '../config/train-schema.js';

/** Flags of `anisodrive train`. */
export interface TrainFlags {
  config: string;
  /** No progress bar. */
  quiet?: boolean;
}

/** Injected parts (tests). */
export interface TrainDeps {
  createCalculator?: CalculatorFactory;
  print?: (line: string) => void;
  progressStream?: NodeJS.WriteStream;
  now?: () => Date;
}

/** The feature hypers of a config (model length unit), with species ids and every default filled in (from the calculator's schema). */
export function hypersOf(config: TrainConfig, species: number[]): Record<string, unknown> {
  return featureKind(config.features.kind).hypersFromTrainConfig(config.features, species);
}

/** Density widths as a short text (`[0.2, 0.2, 0.6] for X`, `each particle's semi-axes × 1`). */
export function describeWidths(w: DensityWidths | null, names: readonly string[]): string {
  if (w === null) return 'none';
  if (w.rule === 'shape') return `each particle's semi-axes × ${w.scale}`;
  return w.semiaxes.map((t, k) => `[${t.join(', ')}] for ${names[k]}`).join(', ');
}

/** Errors as a fixed-width table, one line per quantity. */
export function errorTable(errors: ErrorsByQuantity, energy: string, length: string): string[] {
  const unit: Record<Quantity, string> = { energy: `${energy}/particle`, forces: `${energy}/${length}`, torques: energy, virial: `${energy}/particle` };
  return QUANTITIES.filter((q) => errors[q]).map((q) => {
    const e = errors[q]!;
    const mae = Number.isNaN(e.mae) ? '-' : e.mae.toPrecision(4);
    return `  ${q.padEnd(8)} RMSE ${e.rmse.toPrecision(4).padStart(10)}  MAE ${mae.padStart(10)}  ${unit[q]}  (${e.count} values)`;
  });
}

/** Run `train`; returns the exit code. Errors propagate to the CLI's handler. */
export async function trainCommand(flags: TrainFlags, deps: TrainDeps = {}): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const factory = deps.createCalculator ?? registryCalculator;
  const configPath = resolve(flags.config);
  const config = loadJsonConfig(TrainConfigSchema, configPath);
  const base = dirname(configPath);
  const files = config.data.files.map((f) => resolve(base, f));
  const testFiles = (config.data.testFiles ?? []).map((f) => resolve(base, f));
  const modelPath = resolve(base, config.output.model);
  const reportDir = resolve(base, config.output.report);
  checkOutputFile(modelPath, { what: `output.model of ${configPath}:`, code: 'E_CONFIG', createsDirectories: true });
  checkOutputDirectory(reportDir, { what: `output.report of ${configPath}:`, code: 'E_CONFIG' });

  const readOptions = {
    orientationKey: config.data.orientationKey,
    quaternionOrder: config.data.quaternionOrder,
    semiaxes: config.data.semiaxes ?? null,
    energyKey: config.data.energyKey,
    forcesKey: config.data.forcesKey,
    torquesKey: config.data.torquesKey,
    virialKey: config.data.virialKey,
  };
  const trainFrames = readFrames(files, readOptions);
  const frames = testFiles.length > 0 ? [...trainFrames, ...readFrames(testFiles, readOptions)] : trainFrames;
  const testFrames = testFiles.length > 0 ? Array.from({ length: frames.length - trainFrames.length }, (_, k) => trainFrames.length + k) : undefined;
  const species = speciesTable(frames.map((f) => f.frame), config.species);
  const systems = labelledSystems(frames, species);
  const hypers = hypersOf(config, species.ids);
  const densityWidths = featureKind(config.features.kind).usesDensityWidths
    ? resolveDensityWidths(config.features.densityWidths, species.names, systems.map((s) => s.system))
    : null;
  const block = { kind: config.features.kind, hypers, densityWidths };
  const calculator = blockCalculator(block, factory, config.features.threads !== undefined ? { threads: config.features.threads } : {});
  const F = calculator.metadata.featureCount;
  const lambdas = lambdaGrid(config.regularisation.lambdas);
  print(
    `anisodrive train: ${systems.length} frames from ${files.length + testFiles.length} file(s), species [${species.names.join(', ')}], ` +
      `${config.features.kind} F = ${F} features per type (${species.ids.length * F + species.ids.length} coefficients), ` +
      `${lambdas.length} λ values × ${config.regularisation.cvFolds} folds; density widths ${describeWidths(densityWidths, species.names)}`,
  );

  const progress = createProgress('train', systems.length, { ...(deps.progressStream ? { stream: deps.progressStream } : {}), enabled: !flags.quiet });
  let result;
  try {
    result = trainLinearModel(systems, calculator, {
      weights: config.weights,
      scaling: config.scaling,
      testFraction: config.split.testFraction,
      ...(testFrames ? { testFrames } : {}),
      seed: config.split.seed,
      cvFolds: config.regularisation.cvFolds,
      lambdas,
      learningCurve: config.learningCurve,
      onProgress: (stage, done) => {
        if (stage !== 'solve') progress.update(done, stage === 'train' ? 'features (train)' : 'features (test)');
      },
    });
  } finally {
    calculator.close?.();
  }
  progress.finish('done');
  for (const w of result.warnings) process.stderr.write(`anisodrive train: warning: ${w}\n`);

  const model = modelFromTraining({
    features: [{ ...block, featureCount: F }],
    species: species.ids,
    speciesNames: species.names,
    units: config.units,
    result,
    date: (deps.now ?? (() => new Date()))(),
    software: `anisodrive ${VERSION}`,
    dataFiles: [...config.data.files, ...(config.data.testFiles ?? []).map((f) => `test:${f}`)],
    seed: config.split.seed,
    testFraction: testFrames ? testFrames.length / frames.length : config.split.testFraction,
    weights: { energy: config.weights.energy, forces: config.weights.forces, torques: config.weights.torques, virial: config.weights.virial },
  });
  writeModelFile(modelPath, model);

  const E = config.units.energy.name, L = config.units.length.name;
  try {
    mkdirSync(reportDir, { recursive: true });
    const report = {
      software: model.training.software,
      date: model.training.date,
      config: { ...config, data: { ...config.data, files, testFiles } },
      model: modelPath,
      species: species.names,
      featureCount: F,
      lambda: result.lambda,
      fitted: result.fitted,
      counts: model.training.counts,
      errors: { train: result.train, test: result.test },
      cv: result.cv,
      learningCurve: result.learningCurve,
      parity: result.parity,
      warnings: result.warnings,
    };
    writeFileSync(join(reportDir, 'report.json'), JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
    const quantities = QUANTITIES.filter((q) => result.test[q] || result.cv.some((p) => p.rmse[q] !== undefined));
    const figures: [string, string][] = [
      ['learning-curve', learningCurveSvg(result.learningCurve, quantities, { energy: E, length: L })],
      ['cv-curve', cvCurveSvg(result.cv, result.lambda.relative, quantities, { energy: E, length: L })],
      ...QUANTITIES.filter((q) => result.parity[q]).map((q): [string, string] => [`parity-${q}`, paritySvg(result.parity, q, quantityLabel(q, E, L))]),
    ];
    for (const [name, svg] of figures) {
      writeFileSync(join(reportDir, `${name}.svg`), svg);
      writeFileSync(join(reportDir, `${name}.png`), svgToPng(svg));
    }
  } catch (err) {
    if (err instanceof AnisoError) throw err;
    throw new AnisoError('E_IO', `cannot write the report to ${reportDir}: ${(err as Error).message}`);
  }

  print(`anisodrive train: λ = ${result.lambda.relative.toExponential(1)} (relative), ${result.cvFolds}-fold CV; fitted ${result.fitted.join(', ')}`);
  print(`train (${result.split.train.length} frames):`);
  for (const line of errorTable(result.train, E, L)) print(line);
  if (result.split.test.length > 0) {
    print(`test (${result.split.test.length} frames):`);
    for (const line of errorTable(result.test, E, L)) print(line);
  }
  print(`anisodrive train: wrote ${modelPath} and ${reportDir}/`);
  return 0;
}
