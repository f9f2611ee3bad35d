// SPDX-License-Identifier: BSD-3-Clause
/**
 * MD with a trained model: the committed pair-feature model of examples/gayberne-anisoap
 * (`model.msgpack`, served by `anisodrive drive --config examples/gayberne-anisoap/driver-model.json`:
 * dumbbell mapping + model + restraints) drives NVE of the 288 Gay–Berne dumbbells (576 sites,
 * examples/gayberne-dumbbells/init.xyz) through two real MD engines over a UNIX socket: the embedded
 * engine (`anisodrive engine`) and ASE's `SocketIOCalculator` + `VelocityVerlet`
 * (integrations/ase/md_socketio.py), STEPS steps of DT fs from T0 each.
 *
 * Checks:
 * - it is really the model: the potential energy the engine received at step 0 equals the model's
 *   energy of the initial configuration computed in this process from the same config (to 1e-6
 *   relative: only the wire's unit round trip differs), and differs from GB's (driver.json) by more
 *   than 20 times that tolerance (the model is a close GB surrogate: U_model(0) − U_GB(0) ≈ 1e-4
 *   relative, measured when the model was trained, README of the example);
 * - energy conservation, of the same form as the GB tests: max |H(t) − H(0)| < C · N·k_B·T0 with
 *   N = 576 sites and T0 = 116 K (N·k_B·T0 = 5.76 eV), measured with this protocol in the README of
 *   the example ("NVE"). C = 2e-3 — the bound of the GB tests, over twice the measured deviations.
 *   A wrong force (e.g. missing the switch, a unit slip, torques not mapped) breaks it by orders of
 *   magnitude; the ASE run also bounds the linear-fit slope of H(t), as the GB ASE test does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadInitialState } from '../../plugin/commands/engine.js';
import { buildProvider } from '../../plugin/config/build-provider.js';
import { loadJsonConfig } from '../../plugin/config/load.js';
import { DriverConfigSchema } from '../../plugin/config/schema.js';
import { KB_EV_PER_K } from '../../src/core/units.js';
import { DUMBBELLS, PYTHON, ROOT, killAll, start, startCli, uniqueName } from '../support/processes.js';
import { requirePython } from '../support/python-prerequisite.js';

const EXAMPLE = join(ROOT, 'examples', 'gayberne-anisoap');
const MODEL_CONFIG = join(EXAMPLE, 'driver-model.json');
const GB_CONFIG = join(DUMBBELLS, 'driver.json');
const INIT = join(DUMBBELLS, 'init.xyz');
const SCRIPT = join(ROOT, 'integrations', 'ase', 'md_socketio.py');
const STEPS = 100;
const DT = 4;
const T0 = 116;
const NSITES = 576;
const THERMAL = NSITES * KB_EV_PER_K * T0;
/** Bound on max |ΔH| in units of N·k_B·T0 (see the module comment for the measurements). */
const C = 2e-3;

/** Potential energy (eV) of the initial sites with the provider of a driver config. */
function initialEnergy(configFile: string): number {
  const config = loadJsonConfig(DriverConfigSchema, configFile);
  const provider = buildProvider(config, { baseDir: dirname(configFile) });
  const { state } = loadInitialState(INIT, T0, 1);
  const result = provider.compute({ n: state.n, positions: state.positions, cell: state.cell });
  (provider as { close?: () => void }).close?.();
  return result.energy;
}

/** max |H(t) − H(0)| and the least-squares slope of H (eV/ps) of (time in fs, H in eV) rows. */
function drift(rows: { t: number; h: number }[]): { maxDev: number; slopePerPs: number } {
  const n = rows.length;
  const mt = rows.reduce((a, r) => a + r.t, 0) / n, mh = rows.reduce((a, r) => a + r.h, 0) / n;
  let sxy = 0, sxx = 0, maxDev = 0;
  for (const r of rows) {
    sxy += (r.t - mt) * (r.h - mh);
    sxx += (r.t - mt) ** 2;
    maxDev = Math.max(maxDev, Math.abs(r.h - rows[0]!.h));
  }
  return { maxDev, slopePerPs: (sxy / sxx) * 1000 };
}

let uModel = 0, uGb = 0;
const dirs: string[] = [];

beforeAll(() => {
  // Fails loudly (not skipped) if the external engine is missing: CI installs python3-ase.
  requirePython('ase.calculators.socketio');
  uModel = initialEnergy(MODEL_CONFIG);
  uGb = initialEnergy(GB_CONFIG);
});
afterEach(() => killAll());
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Relative agreement of the energy the engine receives with the model's own (the wire's unit round trip). */
const WIRE = 1e-6;

describe('MD with the trained model of examples/gayberne-anisoap', () => {
  it('is the model, not GB', () => {
    expect(Number.isFinite(uModel)).toBe(true);
    expect(Math.abs(uModel - uGb)).toBeGreaterThan(20 * WIRE * Math.abs(uGb));
  });

  it(`embedded engine + driver over UNIX: ${STEPS} NVE steps of ${DT} fs conserve energy`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-model-'));
    dirs.push(dir);
    const out = join(dir, 'run'), prefix = join(dir, 'ipi_'), name = uniqueName('model');
    const engine = startCli(['engine', '--init', INIT, '--steps', String(STEPS), '--dt', String(DT), '-T', String(T0), '--stride', '1',
      '-u', '-a', name, '-S', prefix, '--out', out]);
    const driver = startCli(['drive', '--config', MODEL_CONFIG, '-u', '-a', name, '-S', prefix]);
    const [e, d] = await Promise.all([engine.done, driver.done]);
    expect(e.code, `engine failed:\n${e.stderr}`).toBe(0);
    expect(d.code, `driver failed:\n${d.stderr}`).toBe(0);
    expect(d.stderr).toMatch(new RegExp(`server sent EXIT after ${STEPS + 1} force evaluations`));

    const rows = readFileSync(`${out}.energy.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(STEPS + 1);
    expect(rows[0]![2]).toBeCloseTo(uModel, 4);
    expect(Math.abs(rows[0]![2]! - uModel)).toBeLessThan(WIRE * Math.abs(uModel));
    const { maxDev } = drift(rows.map((r) => ({ t: r[1]!, h: r[4]! })));
    expect(maxDev).toBeLessThan(C * THERMAL);
    // The run did something: kinetic and potential energy exchanged.
    const u = rows.map((r) => r[2]!);
    expect(Math.max(...u) - Math.min(...u)).toBeGreaterThan(0.1);
  });

  it(`ASE VelocityVerlet + driver over UNIX: ${STEPS} NVE steps of ${DT} fs conserve energy`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-model-ase-'));
    dirs.push(dir);
    const log = join(dir, 'ase.jsonl'), name = uniqueName('model-ase');
    const ase = start(PYTHON, [SCRIPT, '--init', INIT, '--steps', String(STEPS), '--dt', String(DT), '--temperature', String(T0),
      '--log', log, '--unix', name]);
    const driver = startCli(['drive', '--config', MODEL_CONFIG, '-u', '-a', name]);
    const [a, d] = await Promise.all([ase.done, driver.done]);
    expect(a.code, `ASE failed:\n${a.stderr}`).toBe(0);
    expect(d.code, `driver failed:\n${d.stderr}`).toBe(0);
    expect(d.stderr).toMatch(new RegExp(`server closed the connection after ${STEPS + 1} force evaluations`));

    const rows = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { summary?: boolean; time_fs: number; epot: number; etot: number })
      .filter((r) => !r.summary);
    expect(rows).toHaveLength(STEPS + 1);
    // ASE's atomic-unit constants differ from i-PI's by ~1e-8: the same energy to 1e-6.
    expect(Math.abs(rows[0]!.epot - uModel)).toBeLessThan(WIRE * Math.abs(uModel));
    const { maxDev, slopePerPs } = drift(rows.map((r) => ({ t: r.time_fs, h: r.etot })));
    expect(maxDev).toBeLessThan(C * THERMAL);
    expect(Math.abs(slopePerPs)).toBeLessThan(1e-3 * THERMAL);
    const u = rows.map((r) => r.epot);
    expect(Math.max(...u) - Math.min(...u)).toBeGreaterThan(0.1);
  });
});
