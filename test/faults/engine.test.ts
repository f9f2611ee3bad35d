// SPDX-License-Identifier: BSD-3-Clause
/**
 * Fault suite, the embedded engine as a process (docs/FAULTS.md, F63, F68): stopped by SIGTERM
 * mid-run, and started over a stale socket file. The other engine faults (issue 8, items 1, 2, 3,
 * 8, 9: F64–F67, F69–F71) are in test/plugin/engine-faults.test.ts. Each scenario asserts the exit
 * codes of engine and driver, the message, no stack trace, no hang, and the outputs whole.
 */
import { linkSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCleanEnd, freshDir, within, writeIn } from '../support/fault-checks.js';
import { DUMBBELLS, killAll, startCli, uniqueName, type Started } from '../support/processes.js';

afterEach(() => killAll());

const INIT_XYZ = join(DUMBBELLS, 'init.xyz');
const DRIVER = join(DUMBBELLS, 'driver.json');

/** Wait until `started` has printed `pattern` on `stream` (30 s at most). */
async function until(started: Started, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void> {
  const t0 = Date.now();
  while (!pattern.test(started.output()[stream])) {
    if (Date.now() - t0 > 30_000) throw new Error(`${stream} never matched ${pattern}:\n${started.output()[stream]}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('fault suite: the embedded engine', () => {
  it('F63 SIGTERM to an engine mid-run: EXIT sent, outputs of the steps done replace the old ones whole; engine and driver exit 0', async () => {
    const dir = freshDir('fe');
    writeIn(dir, 'run.extxyz', 'old trajectory\n');
    writeIn(dir, 'run.energy.csv', 'old energies\n');
    const name = uniqueName('mid');
    const prefix = join(dir, 'ipi_');
    const e = startCli(['engine', '--init', INIT_XYZ, '--steps', '100000', '--stride', '10', '--out', join(dir, 'run'), '-u', '-a', name, '-S', prefix], { timeoutMs: 60_000 });
    const d = startCli(['drive', '--config', DRIVER, '-u', '-a', name, '-S', prefix], { timeoutMs: 60_000 });
    await until(e, 'stdout', /^\s+0\s+0\.000\s/m);
    await new Promise((r) => setTimeout(r, 300));
    e.child.kill('SIGTERM');
    const [re, rd] = await Promise.all([within(e, 20_000), within(d, 20_000)]);
    expectCleanEnd(re, '@SOCKET: EXIT sent to the driver');
    expect(re.stdout).toMatch(/engine: (\d+) steps in .*\(stopped early\)/);
    expect(re.stdout).toContain(`wrote ${join(dir, 'run.extxyz')} and ${join(dir, 'run.energy.csv')}`);
    expectCleanEnd(rd, /server sent EXIT after \d+ force evaluations/);
    // Whole files: one extxyz frame per energy row, both ending with a complete line.
    const traj = readFileSync(join(dir, 'run.extxyz'), 'utf8');
    const rows = readFileSync(join(dir, 'run.energy.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^step,time_fs,potential_eV/);
    expect((traj.match(/Lattice=/g) ?? []).length).toBe(rows.length - 1);
    expect(traj.endsWith('\n')).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['run.energy.csv', 'run.extxyz']); // no temporary file, no socket
  });

  it('F68 a stale socket file (its server killed): the engine removes it with a warning and serves a driver; exit 0', async () => {
    const dir = freshDir('fe');
    const name = uniqueName('stale');
    const socket = join(dir, `ipi_${name}`);
    // A dead socket file under the engine's name: a hard link to a socket whose listener closed.
    const listener = net.createServer();
    await new Promise<void>((r) => listener.listen(join(dir, 'gone'), r));
    linkSync(join(dir, 'gone'), socket);
    await new Promise<void>((r) => listener.close(() => r()));
    const e = startCli(['engine', '--init', INIT_XYZ, '--steps', '5', '--out', join(dir, 'run'), '-u', '-a', name, '-S', join(dir, 'ipi_')], { timeoutMs: 30_000 });
    await until(e, 'stderr', /listening on unix socket/);
    const d = startCli(['drive', '--config', DRIVER, '-u', '-a', name, '-S', join(dir, 'ipi_')], { timeoutMs: 30_000 });
    const [re, rd] = await Promise.all([within(e, 20_000), within(d, 20_000)]);
    expectCleanEnd(re, ` !W! removed stale socket file ${socket}`);
    expect(re.stdout).toMatch(/engine: 5 steps in/);
    expectCleanEnd(rd, 'server sent EXIT after');
    expect(readdirSync(dir).sort()).toEqual(['run.energy.csv', 'run.extxyz']);
  });
});
