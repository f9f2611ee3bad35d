// SPDX-License-Identifier: BSD-3-Clause
/**
 * The site-mapping registry (`src/mapping/registry.ts`): every entry builds a mapping of its own
 * kind, lengths scaled by the unit scales exactly as the mapping class would get them in Å, the
 * driver's mapping schema is the registry's, and an unknown kind is named.
 */
import { describe, expect, it } from 'vitest';
import { MappingSchema } from '../../plugin/config/schema.js';
import { Cell } from '../../src/core/cell.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { MoleculeMapping } from '../../src/mapping/molecule.js';
import { MAPPINGS, mappingFromParams, type MappingParams } from '../../src/mapping/registry.js';
import { TriadMapping } from '../../src/mapping/triad.js';
import { expectCode } from '../support/assertions.js';
import { randomEllipsoids } from '../support/toy-ellipsoid-potential.js';
import { seededRandom } from '../support/random.js';

const scales = { length: 4, energy: 0.01, mass: 100 };
const CONFIGS: Record<string, object> = {
  identity: { kind: 'identity' },
  dumbbell: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.5], bondLength: 1, masses: [1, 3] },
  triad: { kind: 'triad', semiaxes: [0.5, 0.8, 1.5], geometry: [[0, 0, -1], [0, 0, 1], [0.6, 0, 0]], masses: [1, 1, 2] },
  molecule: { kind: 'molecule', semiaxes: [0.5, 0.8, 1.5], masses: [12, 1, 16], reference: [[0, 0, 0], [1, 0.1, 0], [-0.3, 0.9, 0.2]] },
};
/** The same mappings built by hand in Å. */
const BY_HAND = {
  dumbbell: new DumbbellMapping({ semiaxes: [2, 2, 6], length: 4, masses: [100, 300] }),
  triad: new TriadMapping({ semiaxes: [2, 3.2, 6], geometry: [0, 0, -4, 0, 0, 4, 2.4, 0, 0], masses: [100, 100, 200] }),
  molecule: new MoleculeMapping({ semiaxes: [2, 3.2, 6], masses: [1200, 100, 1600], reference: [0, 0, 0, 4, 0.4, 0, -1.2, 3.6, 0.8] }),
};

describe('mapping registry', () => {
  it('the driver schema accepts exactly the registry kinds', () => {
    expect(MAPPINGS.map((e) => e.kind)).toEqual(Object.keys(CONFIGS));
    for (const raw of Object.values(CONFIGS)) expect(MappingSchema.safeParse(raw).success).toBe(true);
    expect(() => MappingSchema.parse({ kind: 'quad' })).toThrow();
  });

  for (const entry of MAPPINGS) {
    it(`${entry.kind}: builds its kind with lengths and masses in Å and amu`, () => {
      const params = MappingSchema.parse(CONFIGS[entry.kind]) as MappingParams;
      const mapping = mappingFromParams(params, { scales });
      expect(mapping.kind).toBe(entry.kind);
      const hand = BY_HAND[entry.kind as keyof typeof BY_HAND];
      if (hand === undefined) return;
      expect(Array.from(mapping.bodySites()!)).toEqual(Array.from(hand.bodySites()!));
      const sites = hand.toSites(randomEllipsoids(seededRandom(3), Cell.orthorhombic(30, 30, 30), 4, [2, 3.2, 6]));
      const a = mapping.forward(sites), b = hand.forward(sites);
      expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
      expect(Array.from(a.orientations!)).toEqual(Array.from(b.orientations!));
      expect(Array.from(a.semiaxes!)).toEqual(Array.from(b.semiaxes!));
    });
  }

  it("a restraint's rest length replaces the dumbbell's bondLength", () => {
    const params = MappingSchema.parse(CONFIGS.dumbbell) as MappingParams;
    const m = mappingFromParams(params, { scales, restLength: 1.25 });
    expect(Array.from(m.bodySites()!)).toEqual([0, 0, -0.75 * 5, 0, 0, 0.25 * 5]);
  });

  it('names an unknown kind and the known ones', () => {
    expectCode(() => mappingFromParams({ kind: 'quad' } as unknown as MappingParams, { scales }), 'E_CONFIG', /unknown mapping kind 'quad'; allowed: identity, dumbbell, triad, molecule/);
  });
});
