// SPDX-License-Identifier: BSD-3-Clause
/**
 * Real ASE (Debian python3-ase) as the MD engine: `SocketIOCalculator` + `VelocityVerlet` in
 * integrations/ase/md_socketio.py, with `anisodrive drive` serving the Gay–Berne dumbbell example,
 * over a UNIX socket and over TCP. 200 NVE steps at dt = 2 fs.
 *
 * Energy-conservation bound (documented in integrations/ase/README.md): the total energy may
 * oscillate (the stiff dumbbell restraints make velocity Verlet's shadow-Hamiltonian oscillation
 * visible) but must stay within 2e-3 · N_sites · k_B T0 of its start, and the linear-fit slope of
 * H(t) must be below 1e-3 · N_sites · k_B T0 per ps. A wrong force, torque mapping or unit
 * conversion breaks both by orders of magnitude.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KB_EV_PER_K } from '../../src/core/units.js';
import { DUMBBELLS, PYTHON, ROOT, freePort, killAll, start, startCli, uniqueName } from '../support/processes.js';
import { requirePython } from '../support/python-prerequisite.js';
import { tmpdir } from 'node:os';

const SCRIPT = join(ROOT, 'integrations', 'ase', 'md_socketio.py');
const STEPS = 200;
const DT = 2;
const T0 = 116;
const NSITES = 576;
const THERMAL = NSITES * KB_EV_PER_K * T0;

interface Row { step: number; time_fs: number; epot: number; ekin: number; etot: number }

function analyse(logFile: string): { rows: Row[]; maxDev: number; slopePerPs: number } {
  const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row & { summary?: boolean });
  const rows = lines.filter((r) => !r.summary);
  const e0 = rows[0]!.etot;
  let maxDev = 0;
  for (const r of rows) maxDev = Math.max(maxDev, Math.abs(r.etot - e0));
  const n = rows.length;
  const mt = rows.reduce((a, r) => a + r.time_fs, 0) / n;
  const me = rows.reduce((a, r) => a + r.etot, 0) / n;
  let sxy = 0, sxx = 0;
  for (const r of rows) {
    sxy += (r.time_fs - mt) * (r.etot - me);
    sxx += (r.time_fs - mt) ** 2;
  }
  return { rows, maxDev, slopePerPs: (sxy / sxx) * 1000 };
}

beforeAll(() => {
  // Fails loudly (not skipped) if the external engine is missing: CI installs python3-ase.
  requirePython('ase.calculators.socketio');
});
afterEach(() => killAll());

describe('ASE SocketIOCalculator + VelocityVerlet driving anisodrive', () => {
  for (const transport of ['unix', 'inet'] as const) {
    it(`runs ${STEPS} NVE steps over ${transport} with bounded energy drift`, async () => {
      const log = join(tmpdir(), `${uniqueName('ase')}.jsonl`);
      const common = ['--init', join(DUMBBELLS, 'init.xyz'), '--steps', String(STEPS), '--dt', String(DT), '--temperature', String(T0), '--log', log];
      let ase, driver;
      if (transport === 'unix') {
        const name = uniqueName('ase');
        ase = start(PYTHON, [SCRIPT, ...common, '--unix', name]);
        driver = startCli(['drive', '--config', join(DUMBBELLS, 'driver.json'), '-u', '-a', name]);
      } else {
        const port = await freePort();
        ase = start(PYTHON, [SCRIPT, ...common, '--port', String(port)]);
        driver = startCli(['drive', '--config', join(DUMBBELLS, 'driver.json'), '-a', '127.0.0.1', '-p', String(port)]);
      }
      const [a, d] = await Promise.all([ase.done, driver.done]);
      expect(a.code, `ASE failed:\n${a.stderr}`).toBe(0);
      expect(d.code, `driver failed:\n${d.stderr}`).toBe(0);
      // ASE never sends EXIT: the driver must have ended on EOF, after every step was served.
      expect(d.stderr).toMatch(/server closed the connection after 201 force evaluations/);
      const { rows, maxDev, slopePerPs } = analyse(log);
      expect(rows).toHaveLength(STEPS + 1);
      expect(rows[STEPS]!.step).toBe(STEPS);
      expect(maxDev).toBeLessThan(2e-3 * THERMAL);
      expect(Math.abs(slopePerPs)).toBeLessThan(1e-3 * THERMAL);
      // The run did something: kinetic and potential energy exchanged.
      const epot = rows.map((r) => r.epot);
      expect(Math.max(...epot) - Math.min(...epot)).toBeGreaterThan(0.1);
    });
  }
});
