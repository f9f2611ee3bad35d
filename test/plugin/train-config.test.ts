// SPDX-License-Identifier: BSD-3-Clause
/** The train configuration: defaults, λ grids, derived hypers, JSON paths in errors, the shipped JSON Schema. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { validate } from '../../plugin/config/load.js';
import { hypersOf } from '../../plugin/commands/train.js';
import { lambdaGrid, TrainConfigSchema, trainJsonSchema } from '../../plugin/config/train-schema.js';
import { ROOT } from '../support/processes.js';

const minimal = {
  data: { files: ['a.extxyz'] },
  features: { kind: 'anisoap', maxAngular: 3, gaussianWidth: 1.5, cutoff: 6 },
};

function configError(data: unknown): AnisoError {
  try {
    validate(TrainConfigSchema, data, 't.json');
  } catch (err) {
    if (err instanceof AnisoError) return err;
    throw err;
  }
  throw new Error('expected a configuration error');
}

describe('train configuration', () => {
  it('fills in defaults: MD mode with a switch, weights, split, CV, outputs', () => {
    const c = validate(TrainConfigSchema, minimal, 't.json');
    expect(c.features.mode).toBe('md');
    expect(c.weights).toEqual({ energy: 1, forces: 1, torques: 1, virial: 0 });
    expect(c.split).toEqual({ testFraction: 0.2, seed: 1 });
    expect(c.regularisation.cvFolds).toBe(5);
    expect(c.output).toEqual({ model: 'model.msgpack', report: 'report' });
    expect(c.units.length.toAngstrom).toBe(1);
    expect(hypersOf(c, [0])).toEqual({
      maxAngular: 3,
      maxRadial: null,
      basisRcond: 0,
      basisTol: 1e-8,
      radialBasis: 'gto',
      gaussianWidth: 1.5,
      cutoff: 6,
      subtractCenterContribution: false,
      mode: 'md',
      switchWidth: 1.5,
      species: [0],
    });
  });

  it('builds log-spaced λ grids', () => {
    const g = lambdaGrid({ min: 1e-6, max: 1e-2, count: 5 });
    expect(g.map((x) => Math.log10(x))).toEqual([-6, -5, -4, -3, -2].map((x) => expect.closeTo(x, 12)));
    expect(lambdaGrid([1, 1e-3])).toEqual([1e-3, 1]);
  });

  it('names the JSON path of bad values and cross-field problems', () => {
    const err = configError({ ...minimal, features: { ...minimal.features, gaussianWidth: undefined, mode: 'package', switchWidth: 1 }, learningCurve: [0, 0.5] });
    expect(err.code).toBe('E_CONFIG');
    expect(err.message).toMatch(/features\.gaussianWidth: radialBasis 'gto' needs gaussianWidth/);
    expect(err.message).toMatch(/features\.switchWidth: switchWidth is only used in mode 'md'/);
    expect(err.message).toMatch(/learningCurve\.0: /);
    expect(configError({ ...minimal, data: { files: [] } }).message).toMatch(/data\.files: data\.files needs at least one extxyz file/);
    expect(configError({ ...minimal, regularisation: { lambdas: [0] } }).message).toMatch(/regularisation\.lambdas/);
  });

  it('ships a JSON Schema that matches the zod schema', () => {
    expect(readFileSync(join(ROOT, 'schema', 'train.schema.json'), 'utf8')).toBe(trainJsonSchema());
  });
});
