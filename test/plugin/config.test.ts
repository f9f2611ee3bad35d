// SPDX-License-Identifier: BSD-3-Clause
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { Cell } from '../../src/core/cell.js';
import { buildProvider, unitScales } from '../../plugin/config/build-provider.js';
import { loadJsonConfig, validate } from '../../plugin/config/load.js';
import { DriverConfigSchema } from '../../plugin/config/schema.js';
import { driverJsonSchema } from '../../plugin/config/write-schema.js';
import { DUMBBELLS, ROOT } from '../support/processes.js';
import { join } from 'node:path';

function errorOf(fn: () => unknown): AnisoError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AnisoError) return err;
    throw err;
  }
  throw new Error('expected an AnisoError');
}

describe('driver configuration', () => {
  it('loads the dumbbell example with defaults filled in', () => {
    const c = loadJsonConfig(DriverConfigSchema, join(DUMBBELLS, 'driver.json'));
    expect(c.socket.prefix).toBe('/tmp/ipi_');
    expect(c.mapping.kind).toBe('dumbbell');
    expect(unitScales(c)).toEqual({ length: 4, energy: 0.01, mass: 100 });
  });

  it('names the JSON path, the value and the rule of each bad entry', () => {
    const err = errorOf(() =>
      validate(DriverConfigSchema, { socket: { mode: 'udp' }, potentials: [{ kind: 'gayberne', kappa: 0, kappaPrime: 5 }] }, 'x.json'),
    );
    expect(err.code).toBe('E_CONFIG');
    expect(err.message).toMatch(/x\.json/);
    expect(err.message).toMatch(/socket\.mode.*"udp"/);
    expect(err.message).toMatch(/potentials\.0\.kappa: gayberne\.kappa must be > 0 \(got 0\)/);
  });

  it('rejects unknown keys (typos) instead of ignoring them', () => {
    const err = errorOf(() => validate(DriverConfigSchema, { potentials: [{ kind: 'zero' }], extra: 1 }, 'x.json'));
    expect(err.message).toMatch(/extra/);
  });

  it('requires the reduced-unit scales when units.system is lj', () => {
    const err = errorOf(() => validate(DriverConfigSchema, { units: { system: 'lj', sigma: 3 }, potentials: [{ kind: 'zero' }] }, 'x.json'));
    expect(err.message).toMatch(/units\.epsilon/);
    expect(err.message).toMatch(/units\.mass/);
  });

  it('refuses Gay–Berne semi-axes that contradict the mapping', () => {
    const c = validate(
      DriverConfigSchema,
      { mapping: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.0], bondLength: 1 }, potentials: [{ kind: 'gayberne', kappa: 3, kappaPrime: 5 }] },
      'x.json',
    );
    const err = errorOf(() => buildProvider(c));
    expect(err.code).toBe('E_CONFIG');
    expect(err.message).toMatch(/0\.5, 0\.5, 1\.5/);
  });

  it('refuses a restraint without a rest length', () => {
    const c = validate(
      DriverConfigSchema,
      { mapping: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.5] }, potentials: [{ kind: 'restraint', k: 1 }] },
      'x.json',
    );
    expect(errorOf(() => buildProvider(c)).message).toMatch(/bondLength/);
  });

  it('ships a JSON Schema that matches the zod schema', () => {
    const shipped = readFileSync(join(ROOT, 'schema', 'driver.schema.json'), 'utf8');
    expect(shipped).toBe(driverJsonSchema());
  });
});

describe('configured provider sanity checks', () => {
  it('names a blown-up simulation instead of failing downstream', () => {
    const provider = buildProvider(loadJsonConfig(DriverConfigSchema, join(DUMBBELLS, 'driver.json')));
    const positions = Float64Array.from([1, 1, 1, 1, 1, 5, 1e30, 2, 2, 1e30, 2, 6]);
    const err = errorOf(() => provider.compute({ n: 4, positions, cell: Cell.orthorhombic(30, 30, 30) }));
    expect(err.message).toMatch(/site 2 is at \(1\.000e\+30, 2\.000, 2\.000\) Å.*blown up/);
  });
});
