// SPDX-License-Identifier: BSD-3-Clause
/**
 * Format-1 model files (anisodrive 0.1, `fixtures/model-v1.msgpack`: the gayberne-anisoap example
 * model as first committed): msgpackr reads them (same wire format as @msgpack/msgpack, which wrote
 * them); `loadModel` refuses them with the conversion command, since they do not record their
 * density widths; `convertModelV1` and `anisodrive model convert` add the widths and carry every
 * weight over bitwise.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { loadModel, saveModel } from '../../src/models/model-file.js';
import { convertModelV1 } from '../../src/models/model-file-v1.js';
import { modelConvertCommand, widthsFromFlags } from '../../plugin/commands/model.js';
import { readModelFile } from '../../plugin/config/model-io.js';
import { expectCode } from '../support/assertions.js';

const FIXTURE = new URL('./fixtures/model-v1.msgpack', import.meta.url);
const bytes = new Uint8Array(readFileSync(FIXTURE));
const raw = unpack(bytes) as { version: string; features: { kind: string; hypers: object; featureCount: number }; weights: number[][]; baselines: number[] };

describe('format-1 model files', () => {
  it('decode with msgpackr', () => {
    expect(raw.version).toBe('1.0');
    expect(raw.features).toMatchObject({ kind: 'anisoap', featureCount: 80 });
    expect(raw.weights).toHaveLength(1);
    expect(raw.weights[0]).toHaveLength(80);
  });

  it('are refused with a message naming the conversion command', () => {
    let err: unknown;
    try {
      loadModel(bytes, 'old.msgpack');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AnisoError);
    expect((err as AnisoError).code).toBe('E_IO');
    expect((err as AnisoError).message).toMatch(/format version 1\.0 does not record the density widths .*anisodrive model convert old\.msgpack NEW\.msgpack --density-semiaxes a,b,c.*--density-from-shape/);
    expectCode(() => readModelFile(FIXTURE.pathname), 'E_IO', new RegExp(`${FIXTURE.pathname}: model file: format version 1\\.0 .*anisodrive model convert ${FIXTURE.pathname} NEW`));
  });

  it('convert with fixed widths or the shape rule, weights bitwise', () => {
    const m = convertModelV1(bytes, { rule: 'fixed', semiaxes: [[0.2, 0.2, 0.6]] });
    expect(m.version).toBe('2.0');
    expect(m.features).toEqual([{ ...raw.features, densityWidths: { rule: 'fixed', semiaxes: [[0.2, 0.2, 0.6]] } }]);
    const w = raw.weights.flat();
    expect(m.weights.every((x, k) => Object.is(x, w[k]))).toBe(true);
    expect(Object.is(m.baselines[0], raw.baselines[0])).toBe(true);
    expect(loadModel(saveModel(m)).features[0]!.densityWidths).toEqual({ rule: 'fixed', semiaxes: [[0.2, 0.2, 0.6]] });
    expect(convertModelV1(bytes, { rule: 'shape', scale: 1 }).features[0]!.densityWidths).toEqual({ rule: 'shape', scale: 1 });
    expectCode(() => convertModelV1(bytes, { rule: 'fixed', semiaxes: [[1, 1, 1], [2, 2, 2]] }), 'E_ARG', /2 triples for a model with 1 species/);
    expectCode(() => convertModelV1(saveModel(m), { rule: 'shape', scale: 1 }), 'E_IO', /format version 2\.0 is not 1\.x; nothing to convert/);
  });

  it('convert on the command line, with every default hyper-parameter written out', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'anisodrive-convert-')), 'new.msgpack');
    const printed: string[] = [];
    expect(await modelConvertCommand(FIXTURE.pathname, out, { densitySemiaxes: [0.2, 0.2, 0.6] }, (l) => printed.push(l))).toBe(0);
    expect(printed[0]).toMatch(/→ .*new\.msgpack \(format 2\.0; density widths \[0\.2, 0\.2, 0\.6\] for X\)/);
    const m = readModelFile(out);
    expect(m.features[0]!.hypers).toMatchObject({ ...raw.features.hypers, basisRcond: 0, basisTol: 1e-8 });
    expect(Array.from(m.weights)).toEqual(raw.weights.flat());
    expect(widthsFromFlags({ densityFromShape: true })).toEqual({ rule: 'shape', scale: 1 });
    expect(widthsFromFlags({ densityFromShape: '0.4' })).toEqual({ rule: 'shape', scale: 0.4 });
    expectCode(() => widthsFromFlags({}), 'E_ARG', /exactly one of --density-semiaxes .* or --density-from-shape/);
    expectCode(() => widthsFromFlags({ densitySemiaxes: [1, 1, 1], densityFromShape: true }), 'E_ARG', /exactly one/);
    expectCode(() => widthsFromFlags({ densityFromShape: 'x' }), 'E_ARG', /scale must be a positive number, got 'x'/);
  });
});
