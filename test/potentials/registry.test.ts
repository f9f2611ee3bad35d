// SPDX-License-Identifier: BSD-3-Clause
/**
 * The potential registry (`src/potentials/registry.ts`) and its template (`zero.ts`): every entry
 * is selected by its own `kind`, the driver's schema and JSON Schema list exactly the registry's
 * kinds (plus the plugin's `model`), every entry says where it acts, and the zero potential is a
 * correct provider (its gradients are trivially those of a zero energy, checked by FD anyway).
 */
import { describe, expect, it } from 'vitest';
import { DRIVER_POTENTIALS, PotentialSchema } from '../../plugin/config/schema.js';
import { driverJsonSchema } from '../../plugin/config/write-schema.js';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { REAL_UNITS } from '../../src/mapping/mapping-entry.js';
import { IdentityMapping } from '../../src/mapping/identity.js';
import { POTENTIALS } from '../../src/potentials/registry.js';
import { ZeroProvider, zeroPotential } from '../../src/potentials/zero.js';
import { numericalForces, numericalVirial } from '../support/finite-difference.js';
import { seededRandom } from '../support/random.js';

/** A minimal valid configuration of each registry kind. */
const MINIMAL: Record<string, object> = {
  gayberne: { kind: 'gayberne', kappa: 3, kappaPrime: 5 },
  lj: { kind: 'lj', sigma: 1, epsilon: 1, cutoff: 2.5 },
  restraint: { kind: 'restraint', k: 1 },
  zero: { kind: 'zero' },
  model: { kind: 'model', file: 'm.msgpack' },
};

describe('potential registry', () => {
  it('kinds are unique, and the driver list is the library list plus model', () => {
    const kinds = POTENTIALS.map((e) => e.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(DRIVER_POTENTIALS.map((e) => e.kind)).toEqual([...kinds, 'model']);
  });

  for (const entry of DRIVER_POTENTIALS) {
    it(`${entry.kind}: its schema selects its kind, fills defaults, says where it acts`, () => {
      const raw = MINIMAL[entry.kind];
      expect(raw, `add a minimal ${entry.kind} config to this test`).toBeDefined();
      const own = entry.schema.parse(raw) as { kind: string };
      expect(own.kind).toBe(entry.kind);
      expect(PotentialSchema.parse(raw)).toEqual(own);
      expect(['ellipsoids', 'sites']).toContain((entry.actsOn as (p: unknown) => string)(own));
      expect(() => entry.schema.parse({ ...raw, notAParameter: 1 })).toThrow();
    });
  }

  it('the JSON Schema lists every kind', () => {
    const text = driverJsonSchema();
    for (const e of DRIVER_POTENTIALS) expect(text).toContain(`"const": "${e.kind}"`);
  });
});

describe('zero potential (the template)', () => {
  const sys: ParticleSystem = { n: 4, positions: Float64Array.from({ length: 12 }, seededRandom(2)), cell: Cell.orthorhombic(5, 5, 5) };

  it('returns zero energy, forces and virial, no torques; FD agrees', () => {
    const r = new ZeroProvider().compute(sys);
    expect(r.energy).toBe(0);
    expect(r.torques).toBeNull();
    expect(Array.from(r.forces)).toEqual(new Array(12).fill(0));
    const e = (s: ParticleSystem) => new ZeroProvider().compute(s).energy;
    const largest = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));
    expect(largest(numericalForces(e, sys))).toBe(0);
    expect(largest(numericalVirial(e, sys))).toBe(0);
    expect(largest(r.virial)).toBe(0);
  });

  it('its entry builds a site term independent of the site count', () => {
    const term = zeroPotential.create(zeroPotential.schema.parse({ kind: 'zero' }), {
      scales: REAL_UNITS, mapping: new IdentityMapping(), mappingParams: { kind: 'identity' }, baseDir: '.',
    });
    expect(term.on).toBe('sites');
    if (term.on !== 'sites') return;
    expect(term.build(4).name).toBe('zero');
    expect(term.build(4).compute(sys).forces.length).toBe(12);
  });
});
