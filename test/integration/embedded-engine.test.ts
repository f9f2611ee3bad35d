// SPDX-License-Identifier: BSD-3-Clause
/**
 * The embedded engine (`anisodrive engine`) and the driver (`anisodrive drive`) as two processes
 * on the Gay–Berne dumbbell example, over UNIX and TCP sockets: 200 NVE steps at dt = 2 fs with
 * the same energy-conservation bound as the ASE test; the driver must exit 0 on EXIT.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KB_EV_PER_K } from '../../src/core/units.js';
import { DUMBBELLS, freePort, killAll, startCli, uniqueName } from '../support/processes.js';

const STEPS = 200;
const T0 = 116;
const THERMAL = 576 * KB_EV_PER_K * T0;

afterEach(() => killAll());

describe('embedded engine + driver, two processes', () => {
  for (const transport of ['unix', 'inet'] as const) {
    it(`runs ${STEPS} NVE steps over ${transport} with bounded energy drift`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'anisodrive-engine-'));
      const out = join(dir, 'run');
      const base = ['engine', '--init', join(DUMBBELLS, 'init.xyz'), '--steps', String(STEPS), '--dt', '2', '-T', String(T0), '--stride', '1', '--out', out];
      let engine, driver;
      if (transport === 'unix') {
        const name = uniqueName('eng');
        engine = startCli([...base, '-u', '-a', name, '-S', join(dir, 'ipi_')]);
        driver = startCli(['drive', '--config', join(DUMBBELLS, 'driver.json'), '-u', '-a', name, '-S', join(dir, 'ipi_')]);
      } else {
        const port = await freePort();
        engine = startCli([...base, '-a', '127.0.0.1', '-p', String(port)]);
        driver = startCli(['drive', '--config', join(DUMBBELLS, 'driver.json'), '-a', '127.0.0.1', '-p', String(port)]);
      }
      const [e, d] = await Promise.all([engine.done, driver.done]);
      expect(e.code, `engine failed:\n${e.stderr}`).toBe(0);
      expect(d.code, `driver failed:\n${d.stderr}`).toBe(0);
      expect(d.stderr).toMatch(/server sent EXIT after 201 force evaluations/);
      expect(e.stdout).toMatch(/conserved energy: .* drift/);

      const lines = readFileSync(`${out}.energy.csv`, 'utf8').trim().split('\n').slice(1);
      expect(lines).toHaveLength(STEPS + 1);
      const h = lines.map((l) => Number(l.split(',')[4]));
      const dev = Math.max(...h.map((x) => Math.abs(x - h[0]!)));
      expect(dev).toBeLessThan(2e-3 * THERMAL);
      const traj = readFileSync(`${out}.extxyz`, 'utf8');
      expect(traj.split('\n')[0]).toBe('576');
      expect((traj.match(/Lattice=/g) ?? []).length).toBe(STEPS + 1);
    });
  }
});
