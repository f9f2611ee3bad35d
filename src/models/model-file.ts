// SPDX-License-Identifier: BSD-3-Clause
/**
 * Model files: a {@link LinearModel} as one MessagePack map (msgpackr, plain maps and arrays, no
 * extension types, records or typed-array extensions, so that any MessagePack reader can open it;
 * Python: `msgpack.unpackb(open(f, 'rb').read())`). Pure: bytes in, bytes out; file I/O is the CLI's.
 *
 * Layout, format version 2.0 (all keys are strings; numbers are float64 or integers):
 * ```
 * format         "anisodrive-linear-model"
 * version        "MAJOR.MINOR" (this code writes 2.0; refuses a newer MAJOR, accepts newer MINOR)
 * features       [ { kind: "anisoap", hypers: {…every hyper-parameter, defaults filled in…},
 *                    densityWidths: { rule: "fixed", semiaxes: T × 3 } | { rule: "shape", scale } | null,
 *                    featureCount: F_b } ]      feature blocks, concatenated: F = Σ F_b
 * species        [T ints]            speciesNames [T strings]
 * units          { length: { name, toAngstrom }, energy: { name, toEv } }
 * weights        T × F nested arrays (raw weights, model units)
 * baselines      [T] (energy per particle)
 * scaler         { kind: "column"|"global"|"none", shift: T × F, scale: T × F }
 * regularisation { lambda, lambdaAbsolute, grid: [...], cvFolds, cv: [{ lambda, loss, rmse: {q: x} }] }
 * training       { date, software, dataFiles, seed, testFraction, weights, fitted, counts,
 *                  errors: { train, test }, learningCurve, warnings }
 * ```
 * Lengths in `hypers` and `densityWidths` are in the model's length unit. Format 1.x (anisodrive
 * 0.1: `features` one map without `densityWidths`) is refused with the conversion command
 * (`model-file-v1.ts`, `anisodrive model convert`): those files do not say which density widths the
 * model was trained with.
 *
 * {@link loadModel} validates everything with zod; errors are `AnisoError('E_IO')` naming the field
 * by its path (`weights.0.17: …`). Unknown keys are ignored (later minor versions may add some).
 */
import { pack as encode, unpack as decode } from 'msgpackr';
import { z } from 'zod';
import { AnisoError } from '../core/errors.js';
import { DensityWidthsSchema } from '../features/density-widths.js';
import { QUANTITIES } from './design.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, modelFeatureCount, type LinearModel } from './linear-model.js';


const finite = z.number({ error: (iss) => (iss.input === undefined ? 'required' : `must be a finite number, got ${String(iss.input)}`) });
const positive = finite.positive({ error: 'must be > 0' });
const count = z.number().int().nonnegative();
const matrix = z.array(z.array(finite));
const errorStats = z.object({ rmse: finite, mae: finite.nullable(), count });
const errorsByQuantity = z.object(Object.fromEntries(QUANTITIES.map((q) => [q, errorStats.optional()])) as Record<(typeof QUANTITIES)[number], z.ZodOptional<typeof errorStats>>);
const perQuantity = z.object(Object.fromEntries(QUANTITIES.map((q) => [q, finite.optional()])) as Record<(typeof QUANTITIES)[number], z.ZodOptional<typeof finite>>);
const quantityCounts = z.object(Object.fromEntries(QUANTITIES.map((q) => [q, count])) as Record<(typeof QUANTITIES)[number], typeof count>);
const quantityWeights = z.object(Object.fromEntries(QUANTITIES.map((q) => [q, finite.nonnegative()])) as Record<(typeof QUANTITIES)[number], typeof finite>);

/** The zod schema of a decoded model file (arrays as nested number arrays). */
export const ModelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.string().regex(/^\d+\.\d+$/, { error: 'must be "MAJOR.MINOR"' }),
  features: z
    .array(
      z.object({
        kind: z.string().min(1),
        hypers: z.record(z.string(), z.unknown()),
        densityWidths: DensityWidthsSchema.nullable(),
        featureCount: z.number().int().positive(),
      }),
    )
    .min(1),
  species: z.array(z.number().int()).min(1),
  speciesNames: z.array(z.string().min(1)),
  units: z.object({
    length: z.object({ name: z.string().min(1), toAngstrom: positive }),
    energy: z.object({ name: z.string().min(1), toEv: positive }),
  }),
  weights: matrix,
  baselines: z.array(finite),
  scaler: z.object({ kind: z.enum(['column', 'global', 'none']), shift: matrix, scale: matrix }),
  regularisation: z.object({
    lambda: finite.nonnegative(),
    lambdaAbsolute: finite.nonnegative(),
    grid: z.array(finite),
    cvFolds: count,
    cv: z.array(z.object({ lambda: finite, loss: finite, rmse: perQuantity })),
  }),
  training: z.object({
    date: z.string(),
    software: z.string(),
    dataFiles: z.array(z.string()),
    seed: count,
    testFraction: finite,
    weights: quantityWeights,
    fitted: z.array(z.enum(QUANTITIES)),
    counts: z.object({ frames: count, trainFrames: count, testFrames: count, trainParticles: count, rows: quantityCounts }),
    errors: z.object({ train: errorsByQuantity, test: errorsByQuantity }),
    learningCurve: z.array(z.object({ fraction: finite, frames: count, test: errorsByQuantity })),
    warnings: z.array(z.string()),
  }),
});

/** A decoded, validated model file (before conversion to typed arrays). */
export type ModelFileData = z.infer<typeof ModelFileSchema>;

const SUPPORTED_MAJOR = Number(MODEL_FORMAT_VERSION.split('.')[0]);

function fail(message: string): never {
  throw new AnisoError('E_IO', `model file: ${message}`);
}

function toRows(a: Float64Array, T: number, F: number): number[][] {
  return Array.from({ length: T }, (_, t) => Array.from(a.subarray(t * F, (t + 1) * F)));
}

/** NaN → null (MAE is not known on the training set). */
function errorsForFile(e: Record<string, { rmse: number; mae: number; count: number } | undefined>) {
  const out: Record<string, { rmse: number; mae: number | null; count: number }> = {};
  for (const [q, v] of Object.entries(e)) if (v) out[q] = { rmse: v.rmse, mae: Number.isNaN(v.mae) ? null : v.mae, count: v.count };
  return out;
}

/** Encode `model` as MessagePack bytes (module doc). */
export function saveModel(model: LinearModel): Uint8Array {
  const T = model.species.length;
  const F = modelFeatureCount(model.features);
  if (model.weights.length !== T * F) throw new AnisoError('E_SIZE', `model weights have ${model.weights.length} entries, expected T·F = ${T}·${F}`);
  const t = model.training;
  const data = {
    format: model.format,
    version: model.version,
    features: model.features.map((b) => ({ kind: b.kind, hypers: b.hypers, densityWidths: b.densityWidths, featureCount: b.featureCount })),
    species: model.species,
    speciesNames: model.speciesNames,
    units: model.units,
    weights: toRows(model.weights, T, F),
    baselines: Array.from(model.baselines),
    scaler: { kind: model.scaler.kind, shift: toRows(model.scaler.shift, T, F), scale: toRows(model.scaler.scale, T, F) },
    regularisation: model.regularisation,
    training: {
      ...t,
      errors: { train: errorsForFile(t.errors.train), test: errorsForFile(t.errors.test) },
      learningCurve: t.learningCurve.map((p) => ({ ...p, test: errorsForFile(p.test) })),
    },
  };
  return encode(data);
}

function flatten(rows: number[][], T: number, F: number, what: string): Float64Array {
  if (rows.length !== T) fail(`${what} has ${rows.length} rows, expected one per species (${T})`);
  const out = new Float64Array(T * F);
  rows.forEach((row, t) => {
    if (row.length !== F) fail(`${what}.${t} has ${row.length} entries, expected F = ${F} (the features' featureCount)`);
    out.set(row, t * F);
  });
  return out;
}

/** How an old-format file is converted (the message of a refused 1.x file). */
export function conversionHint(source: string): string {
  return (
    `convert it once, giving the widths used in training: ` +
    `anisodrive model convert ${source} NEW.msgpack --density-semiaxes a,b,c ` +
    `(the train configuration's data.semiaxes, or the semi-axes of its data files), ` +
    `or --density-from-shape to keep the old behaviour (each particle's declared semi-axes)`
  );
}

/** Decode MessagePack bytes to a map with `format` and `version` checked; returns the map and the MAJOR version. */
export function decodeModelMap(bytes: Uint8Array): { raw: Record<string, unknown>; major: number } {
  let raw: unknown;
  try {
    raw = decode(bytes);
  } catch (err) {
    fail(`not MessagePack data (${(err as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`expected a map at the top level, got ${raw === null ? 'null' : typeof raw}`);
  const top = raw as Record<string, unknown>;
  if (top.format !== MODEL_FORMAT) fail(`format is ${JSON.stringify(top.format)}, expected "${MODEL_FORMAT}" (not an anisodrive linear model)`);
  if (typeof top.version !== 'string' || !/^\d+\.\d+$/.test(top.version)) fail(`version is ${JSON.stringify(top.version)}, expected "MAJOR.MINOR"`);
  return { raw: top, major: Number(top.version.split('.')[0]) };
}

/**
 * Decode and validate a model file. Checks, in order: MessagePack; `format`; `version` (a newer
 * MAJOR is refused; 1.x is refused with the conversion command, naming `source`); every field
 * (zod, errors name the path); shapes (weights and scaler T × F, baselines T, speciesNames T).
 * The feature count against the calculator is checked later by `checkModelAgainstCalculator`,
 * once the calculator is built.
 * @throws AnisoError `E_IO` naming the bad field
 */
export function loadModel(bytes: Uint8Array, source = 'OLD.msgpack'): LinearModel {
  const { raw, major } = decodeModelMap(bytes);
  if (major > SUPPORTED_MAJOR) {
    fail(`format version ${String(raw.version)} is newer than this anisodrive reads (${SUPPORTED_MAJOR}.x); upgrade anisodrive`);
  }
  if (major === 1) fail(`format version ${String(raw.version)} does not record the density widths the model was trained with; ${conversionHint(source)}`);
  if (major < SUPPORTED_MAJOR) fail(`format version ${String(raw.version)} is older than any this anisodrive reads (${SUPPORTED_MAJOR}.x)`);
  return modelFromMap(raw);
}

/**
 * Validate a decoded current-format map and convert it to a {@link LinearModel} (typed arrays).
 * @throws AnisoError `E_IO` naming the bad field
 */
export function modelFromMap(raw: Record<string, unknown>): LinearModel {
  const parsed = ModelFileSchema.safeParse(raw, { error: (iss) => (iss.input === undefined ? 'required' : undefined) });
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.length ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`);
    const more = parsed.error.issues.length > 10 ? `\n  … and ${parsed.error.issues.length - 10} more` : '';
    fail(`invalid fields:\n${lines.join('\n')}${more}`);
  }
  const d = parsed.data;
  const T = d.species.length, F = modelFeatureCount(d.features);
  if (d.speciesNames.length !== T) fail(`speciesNames has ${d.speciesNames.length} entries, expected one per species (${T})`);
  if (d.baselines.length !== T) fail(`baselines has ${d.baselines.length} entries, expected one per species (${T})`);
  d.features.forEach((b, k) => {
    if (b.densityWidths?.rule === 'fixed' && b.densityWidths.semiaxes.length !== T) {
      fail(`features.${k}.densityWidths.semiaxes has ${b.densityWidths.semiaxes.length} triples, expected one per species (${T})`);
    }
  });
  const weights = flatten(d.weights, T, F, 'weights');
  const shift = flatten(d.scaler.shift, T, F, 'scaler.shift');
  const scale = flatten(d.scaler.scale, T, F, 'scaler.scale');
  const train = d.training;
  const errors = (e: typeof train.errors.train) => {
    const out: Record<string, { rmse: number; mae: number; count: number }> = {};
    for (const [q, v] of Object.entries(e)) if (v) out[q] = { rmse: v.rmse, mae: v.mae ?? Number.NaN, count: v.count };
    return out;
  };
  return {
    format: MODEL_FORMAT,
    version: d.version,
    features: d.features.map((b) => ({ kind: b.kind, hypers: b.hypers, densityWidths: b.densityWidths, featureCount: b.featureCount })),
    species: d.species,
    speciesNames: d.speciesNames,
    units: d.units,
    weights,
    baselines: Float64Array.from(d.baselines),
    scaler: { kind: d.scaler.kind, shift, scale },
    regularisation: d.regularisation,
    training: {
      ...train,
      errors: { train: errors(train.errors.train), test: errors(train.errors.test) },
      learningCurve: train.learningCurve.map((p) => ({ ...p, test: errors(p.test) })),
    },
  };
}
