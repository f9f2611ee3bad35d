// SPDX-License-Identifier: BSD-3-Clause
/**
 * The real driver against the real server over real UNIX and TCP sockets, in each message order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import type { DriverStepInfo } from '../../src/protocol/client.js';
import { runDriver } from '../../src/protocol/run-driver.js';
import { IpiServer, type MessageOrder } from '../../src/protocol/server.js';
import type { SocketAddress } from '../../src/protocol/transport.js';
import { snapshotSystem } from './snapshot.js';
import { maxRelativeError } from '../support/finite-difference.js';

const dir = mkdtempSync(join(tmpdir(), 'anisodrive-cs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** Field + tether + weak pair springs: asymmetric virial, every atom matters. */
function model(s: ParticleSystem): ForceResult {
  const g = [0.3, -0.2, 0.5], c = [1, 2, -1], k = 0.7, kp = 0.05;
  const forces = new Float64Array(3 * s.n);
  const virial = new Float64Array(9);
  let energy = 0;
  for (let a = 0; a < s.n; a++) {
    for (let d = 0; d < 3; d++) {
      const r = s.positions[3 * a + d]!;
      energy += -g[d]! * r + 0.5 * k * (r - c[d]!) ** 2;
      forces[3 * a + d] = g[d]! - k * (r - c[d]!);
    }
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) virial[3 * i + j] += forces[3 * a + i]! * s.positions[3 * a + j]!;
  }
  for (let a = 0; a < s.n; a++) {
    for (let b = a + 1; b < s.n; b++) {
      const d = new Float64Array(3);
      for (let x = 0; x < 3; x++) d[x] = s.positions[3 * b + x]! - s.positions[3 * a + x]!;
      energy += 0.5 * kp * (d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2);
      for (let x = 0; x < 3; x++) {
        forces[3 * a + x] += kp * d[x]!;
        forces[3 * b + x] -= kp * d[x]!;
      }
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) virial[3 * i + j] += -kp * d[i]! * d[j]!;
    }
  }
  return { energy, forces, torques: null, virial, extras: { n: s.n } };
}

function systemOf(n: number, cell: Cell, seed: number): ParticleSystem {
  let x = seed;
  const rand = () => ((x = (x * 16807) % 2147483647), (x / 2147483647) * 8 - 4);
  return { n, positions: Float64Array.from({ length: 3 * n }, rand), cell };
}

const SYSTEMS: ParticleSystem[] = [
  systemOf(4, Cell.fromRows([5.0, 0.3, -0.2, 1.1, 6.0, 0.4, -0.7, 0.9, 7.0]), 11),
  systemOf(1, Cell.open(), 12),
  systemOf(9, Cell.orthorhombic(10, 11, 12), 13),
  systemOf(0, Cell.fromParameters([10, 11, 12, 80, 95, 100]), 14),
  systemOf(3, Cell.fromParameters([10, 11, 12, 80, 95, 100]), 15),
];

function address(mode: 'unix' | 'inet'): SocketAddress {
  return mode === 'unix' ? { mode, address: `d${counter++}`, prefix: dir + '/ipi_' } : { mode, address: '127.0.0.1', port: 0 };
}

describe.each(['unix', 'inet'] as const)('driver ↔ server over %s', (mode) => {
  it.each(['ipi', 'legacy', 'ase'] as MessageOrder[])('serves the %s message order with varying N, exactly', async (order) => {
    const server = await IpiServer.listen(address(mode));
    const target = server.target;
    const seen: ParticleSystem[] = [];
    const steps: DriverStepInfo[] = [];
    const driver = runDriver({
      mode,
      ...(target.mode === 'unix' ? { address: target.path, prefix: '' } : { address: target.host, port: target.port }),
      provider: {
        compute(s) {
          seen.push(snapshotSystem(s)); // the driver reuses s next request
          return model(s);
        },
      },
      onStep: (s) => steps.push(s),
    });
    const conn = await server.accept({ order, init: ' alpha : 1 , ', rid: 2 });
    for (const [k, sys] of SYSTEMS.entries()) {
      const got = await conn.compute(sys);
      const want = model(sys);
      expect(got.energy).toBeCloseTo(want.energy, 12);
      expect(got.forces.length).toBe(3 * sys.n);
      if (sys.n > 0) expect(maxRelativeError(got.forces, want.forces)).toBeLessThan(1e-14);
      expect(maxRelativeError(got.virial, want.virial)).toBeLessThan(1e-14);
      expect(got.torques).toBeNull();
      expect(got.extras).toEqual({});
      // The driver saw the same structure: positions in Å and the same cell (rows).
      const s = seen[k]!;
      expect(s.n).toBe(sys.n);
      if (sys.n > 0) expect(maxRelativeError(s.positions, sys.positions)).toBeLessThan(1e-15);
      expect(s.cell.pbc).toEqual(sys.cell.pbc);
      expect(maxRelativeError(s.cell.h, sys.cell.h)).toBeLessThan(1e-15);
    }
    expect(conn.requests).toBe(SYSTEMS.length);
    await conn.close();
    const end = await driver;
    expect(end).toEqual({
      reason: 'exit',
      steps: SYSTEMS.length,
      rid: order === 'ase' ? 0 : 2,
      init: order === 'ase' ? '\0' : ' alpha : 1 , ',
    });
    expect(steps.map((s) => s.n)).toEqual(SYSTEMS.map((s) => s.n));
    await server.close();
  });
});

describe('driver ↔ server options', () => {
  it('matches ASE constants when both sides use them, and sends extras when asked', async () => {
    const server = await IpiServer.listen(address('unix'));
    const target = server.target;
    const driver = runDriver({
      mode: 'unix',
      address: target.mode === 'unix' ? target.path : '',
      prefix: '',
      units: 'ase',
      extras: true,
      provider: { compute: async (s) => model(s) },
    });
    const conn = await server.accept({ order: 'ase', units: 'ase' });
    const sys = SYSTEMS[0]!;
    const got = await conn.compute(sys);
    expect(maxRelativeError(got.forces, model(sys).forces)).toBeLessThan(1e-14);
    expect(got.extras).toEqual({ n: 4 });
    await conn.close();
    expect((await driver).reason).toBe('exit');
    await server.close();
  });
});
