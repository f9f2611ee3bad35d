// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive train --config train.json`: fit a linear ridge model on one or several blocks of
 * features (AniSOAP, pair features, …; several blocks make a body-ordered model, each block with
 * its own penalty multiplier chosen by the CV) to energies, forces and torques (and virials) of
 * labelled extended XYZ frames, optionally choosing hyper-parameters by cross-validation over
 * candidate values (`search`), and write the model file and a report folder:
 *
 * - `report.json`: the resolved configuration, counts, λ (and block multipliers), train/test errors
 *   (RMSE, MAE; energies per particle), the CV curve, the search table, the learning curve and
 *   parity data (test set);
 * - `learning-curve.svg|png`, `cv-curve.svg|png`, `parity-<quantity>.svg|png`.
 *
 * Status on stdout, progress and warnings on stderr.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AnisoError } from '../../src/core/errors.js';
import { QUANTITIES, type Quantity } from '../../src/models/design.js';
import { resolveDensityWidths, type DensityWidths } from '../../src/features/density-widths.js';
import { featureKind } from '../../src/features/registry.js';
import { modelFromTraining } from '../../src/models/linear-model.js';
import { blockCalculator } from '../../src/models/model-calculator.js';
import { trainLinearModel, type ErrorsByQuantity } from '../../src/models/train.js';
import { loadJsonConfig, validate } from '../config/load.js';
import { checkOutputDirectory, checkOutputFile } from '../output-check.js';
import { createProgress } from '../progress.js';
import { VERSION } from '../version.js';
import { labelledSystems, readFrames, speciesTable } from './data.js';
import { cvCurveSvg, learningCurveSvg, paritySvg, quantityLabel, svgToPng } from './figures.js';
import { registryCalculator, writeModelFile, type CalculatorFactory } from '../config/model-io.js';
import { blockPenaltyGrid, featureBlocks, lambdaGrid, TrainConfigSchema, type TrainConfig } from '../config/train-schema.js';
import type { ModelFeatureBlock } from '../../src/models/linear-model.js';
import type { LabelledSystem } from '../../src/models/design.js';
import type { TrainResult } from '../../src/models/train.js';
import { ConcatenatedCalculator } from '../../src/features/concatenated.js';

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

/** The feature hypers of block `block` of a config (model length unit), with species ids and every default filled in (from the calculator's schema). */
export function hypersOf(config: TrainConfig, species: number[], block = 0): Record<string, unknown> {
  const entry = featureBlocks(config)[block]!;
  return featureKind(entry.kind).hypersFromTrainConfig(entry, species);
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
  const candidates = searchCandidates(config, configPath);
  const speciesText = `species [${species.names.join(', ')}]`;
  print(
    `anisodrive train: ${systems.length} frames from ${files.length + testFiles.length} file(s), ${speciesText}, ` +
      `${featureBlocks(config).length} feature block(s), ${lambdaGrid(config.regularisation.lambdas).length} λ values × ${config.regularisation.cvFolds} folds` +
      (candidates.length > 1 ? `, ${candidates.length} search candidates` : ''),
  );
  let best: TrainingRun | null = null;
  const searchTable: { values: Record<string, unknown>; cvLoss: number; lambda: number; featureCount: number }[] = [];
  for (const [k, cand] of candidates.entries()) {
    const tag = candidates.length > 1 ? `candidate ${k + 1}/${candidates.length} (${describeCandidate(cand.values)})` : '';
    const run = trainOnce(cand.config, systems, species, testFrames, factory, {
      print,
      quiet: Boolean(flags.quiet),
      ...(deps.progressStream ? { progressStream: deps.progressStream } : {}),
      label: tag ? `train ${tag}` : 'train',
    });
    searchTable.push({ values: cand.values, cvLoss: run.cvLoss, lambda: run.result.lambda.relative, featureCount: run.featureCount });
    if (tag) print(`anisodrive train: ${tag}: CV loss ${run.cvLoss.toPrecision(4)} at λ = ${run.result.lambda.relative.toExponential(1)}`);
    if (!best || run.cvLoss < best.cvLoss || (Number.isNaN(best.cvLoss) && !Number.isNaN(run.cvLoss))) best = run;
  }
  const { result, blocks } = best!;
  const chosenConfig = best!.config;
  if (candidates.length > 1) print(`anisodrive train: chose ${describeCandidate(candidates[searchTable.findIndex((r) => r.cvLoss === best!.cvLoss)]!.values)} (smallest CV loss)`);
  for (const w of result.warnings) process.stderr.write(`anisodrive train: warning: ${w}\n`);
  const F = best!.featureCount;

  const model = modelFromTraining({
    features: blocks,
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
      config: { ...chosenConfig, data: { ...chosenConfig.data, files, testFiles } },
      model: modelPath,
      species: species.names,
      featureCount: F,
      blocks: blocks.map((b) => ({ kind: b.kind, featureCount: b.featureCount })),
      lambda: result.lambda,
      blockPenalties: result.blockPenalties ?? null,
      search: candidates.length > 1 ? searchTable : null,
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

  const multipliers = result.blockPenalties ? `, block penalty multipliers [${result.blockPenalties.chosen.join(', ')}]` : '';
  print(`anisodrive train: λ = ${result.lambda.relative.toExponential(1)} (relative)${multipliers}, ${result.cvFolds}-fold CV; fitted ${result.fitted.join(', ')}`);
  print(`train (${result.split.train.length} frames):`);
  for (const line of errorTable(result.train, E, L)) print(line);
  if (result.split.test.length > 0) {
    print(`test (${result.split.test.length} frames):`);
    for (const line of errorTable(result.test, E, L)) print(line);
  }
  print(`anisodrive train: wrote ${modelPath} and ${reportDir}/`);
  return 0;
}

/** One candidate configuration of the search and the values it sets (`"block.hyper"` → value). */
interface SearchCandidate {
  config: TrainConfig;
  values: Record<string, unknown>;
}

/** `shape=[0.5,0.5,1.5], 1.radialScale=0.4` */
function describeCandidate(values: Record<string, unknown>): string {
  return Object.entries(values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
}

/**
 * The configurations of the search: every combination of the `search` values, each applied to the
 * configuration file's own JSON (so that defaults that depend on a searched value, such as the
 * pair features' radialMin from the shape, follow it) and validated in full. Without `search`, the
 * configuration itself.
 * @throws AnisoError `E_CONFIG` naming the candidate when one is invalid
 */
function searchCandidates(config: TrainConfig, configPath: string): SearchCandidate[] {
  if (config.search.length === 0) return [{ config, values: {} }];
  const raw = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  const nBlocks = featureBlocks(config).length;
  let combos: Record<string, unknown>[] = [{}];
  for (const e of config.search) {
    if (e.block >= nBlocks) throw new AnisoError('E_CONFIG', `invalid configuration in ${configPath}:\n  search: block ${e.block} does not exist (the configuration has ${nBlocks} feature block(s))`);
    const key = nBlocks > 1 ? `${e.block}.${e.hyper}` : e.hyper;
    combos = combos.flatMap((c) => e.values.map((v) => ({ ...c, [key]: v })));
  }
  return combos.map((values) => {
    const copy = structuredClone(raw);
    const list = Array.isArray(copy.features) ? (copy.features as Record<string, unknown>[]) : [copy.features as Record<string, unknown>];
    for (const e of config.search) {
      const key = nBlocks > 1 ? `${e.block}.${e.hyper}` : e.hyper;
      list[e.block]![e.hyper] = values[key];
    }
    return { config: validate(TrainConfigSchema, copy, `${configPath} (search candidate ${describeCandidate(values)})`), values };
  });
}

/** A trained candidate. */
interface TrainingRun {
  config: TrainConfig;
  result: TrainResult;
  blocks: ModelFeatureBlock[];
  featureCount: number;
  /** Smallest CV loss over the λ grid (and block multipliers). */
  cvLoss: number;
}

/** Build the calculator of every feature block of `config`, train, and close the calculators. */
function trainOnce(
  config: TrainConfig,
  systems: LabelledSystem[],
  species: { ids: number[]; names: string[] },
  testFrames: number[] | undefined,
  factory: CalculatorFactory,
  ui: { print: (line: string) => void; quiet: boolean; progressStream?: NodeJS.WriteStream; label: string },
): TrainingRun {
  const entries = featureBlocks(config);
  const blocks: ModelFeatureBlock[] = [];
  const calculators: ReturnType<typeof blockCalculator>[] = [];
  try {
    entries.forEach((entry, b) => {
      const hypers = hypersOf(config, species.ids, b);
      const densityWidths = featureKind(entry.kind).usesDensityWidths
        ? resolveDensityWidths(entry.densityWidths, species.names, systems.map((s) => s.system))
        : null;
      const calc = blockCalculator({ kind: entry.kind, hypers, densityWidths }, factory, entry.threads !== undefined ? { threads: entry.threads } : {});
      calculators.push(calc);
      blocks.push({ kind: entry.kind, hypers, densityWidths, featureCount: calc.metadata.featureCount });
      ui.print(`  block ${b}: ${entry.kind}, F = ${calc.metadata.featureCount} features per type; density widths ${describeWidths(densityWidths, species.names)}`);
    });
    const calculator = calculators.length === 1 ? calculators[0]! : new ConcatenatedCalculator(calculators);
    const F = calculator.metadata.featureCount;
    const lambdas = lambdaGrid(config.regularisation.lambdas);
    const sizes = blocks.map((b) => b.featureCount);
    const progress = createProgress(ui.label, systems.length, { ...(ui.progressStream ? { stream: ui.progressStream } : {}), enabled: !ui.quiet });
    const result = trainLinearModel(systems, calculator, {
      weights: config.weights,
      scaling: config.scaling,
      testFraction: config.split.testFraction,
      ...(testFrames ? { testFrames } : {}),
      seed: config.split.seed,
      cvFolds: config.regularisation.cvFolds,
      lambdas,
      ...(blocks.length > 1 ? { blockPenalties: { sizes, grid: blockPenaltyGrid(lambdaGrid(config.regularisation.blockPenalties), blocks.length) } } : {}),
      learningCurve: config.learningCurve,
      onProgress: (stage, done, total) => {
        if (stage === 'solve') progress.update(systems.length, `solving ${done}/${total}`);
        else progress.update(done, stage === 'train' ? 'features (train)' : 'features (test)');
      },
    });
    progress.finish('done');
    return { config, result, blocks, featureCount: F, cvLoss: Math.min(...result.cv.map((p) => p.loss)) };
  } finally {
    for (const c of calculators) c.close?.();
  }
}
