// SPDX-License-Identifier: BSD-3-Clause
/**
 * Faults of `anisodrive engine` at start-up and with extra peers (issue 8, items 1, 2, 3, 8, 9),
 * as real processes: an existing output survives a run that never gets a driver; a second engine
 * on a live socket leaves the first running and its socket file in place; an unwritable output and
 * a missing socket directory are exit 2 with a message naming the path and the reason, no stack
 * trace and no socket file; a second driver is refused at once and told so. Every process has a
 * deadline (test/support/processes.ts kills it), so a regression fails instead of hanging.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DUMBBELLS, killAll, startCli, uniqueName, waitForPath, type Started } from '../support/processes.js';

afterEach(() => killAll());

const INIT = join(DUMBBELLS, 'init.xyz');
const DRIVER = join(DUMBBELLS, 'driver.json');

function engine(dir: string, name: string, out: string, extra: string[] = [], timeoutMs = 30_000): Started {
  return startCli(['engine', '--init', INIT, '--steps', '20', '--stride', '5', '--out', out, '-u', '-a', name, '-S', join(dir, 'ipi_'), ...extra], { timeoutMs });
}

/** Wait until `started` has printed `pattern` on stderr, or throw after `ms`. */
async function untilStderr(started: Started, pattern: RegExp, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!pattern.test(started.output().stderr)) {
    if (Date.now() - t0 > ms) throw new Error(`stderr never matched ${pattern}:\n${started.output().stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(text).not.toMatch(/Unhandled 'error' event/);
}

describe('anisodrive engine: faults', () => {
  it('F64 item 1: an existing KEEP.extxyz and KEEP.energy.csv survive a run that never gets a driver', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-ef-'));
    const out = join(dir, 'keep');
    const traj = 'old trajectory bytes\n'.repeat(5000);
    const energy = 'step,old\n0,1\n';
    writeFileSync(`${out}.extxyz`, traj);
    writeFileSync(`${out}.energy.csv`, energy);
    const name = uniqueName('keep');
    const e = engine(dir, name, out);
    await waitForPath(join(dir, `ipi_${name}`), 20_000);
    // While it waits, the old files are whole; then it is stopped with no driver ever connected.
    expect(readFileSync(`${out}.extxyz`, 'utf8')).toBe(traj);
    e.child.kill('SIGTERM');
    const r = await e.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/waiting for a driver on unix socket .* aborted/);
    expectNoStack(r.stderr);
    expect(readFileSync(`${out}.extxyz`, 'utf8')).toBe(traj);
    expect(readFileSync(`${out}.energy.csv`, 'utf8')).toBe(energy);
    expect(readdirSync(dir).sort()).toEqual(['keep.energy.csv', 'keep.extxyz']); // no temporary file, no socket
  });

  it('F65 item 1: a finished run replaces KEEP.* whole, through a temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-ef-'));
    const out = join(dir, 'keep');
    writeFileSync(`${out}.extxyz`, 'old\n');
    const name = uniqueName('fin');
    const e = engine(dir, name, out);
    const d = startCli(['drive', '--config', DRIVER, '-u', '-a', name, '-S', join(dir, 'ipi_')], { timeoutMs: 30_000 });
    const [re, rd] = await Promise.all([e.done, d.done]);
    expect(re.code, re.stderr).toBe(0);
    expect(rd.code, rd.stderr).toBe(0);
    expect((readFileSync(`${out}.extxyz`, 'utf8').match(/Lattice=/g) ?? []).length).toBe(5); // steps 0, 5, …, 20
    expect(readFileSync(`${out}.energy.csv`, 'utf8').trim().split("\n")).toHaveLength(6); // header + steps 0, 5, …, 20
    expect(readdirSync(dir).sort()).toEqual(['keep.energy.csv', 'keep.extxyz']);
  });

  it('F66 item 1: a run whose driver dies keeps KEEP.* whole and what it wrote as KEEP.partial.*, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-ef-'));
    const out = join(dir, 'keep');
    writeFileSync(`${out}.extxyz`, 'old trajectory\n');
    writeFileSync(`${out}.energy.csv`, 'old energies\n');
    const name = uniqueName('dies');
    const e = startCli(['engine', '--init', INIT, '--steps', '100000', '--stride', '1', '--out', out, '-u', '-a', name, '-S', join(dir, 'ipi_')], { timeoutMs: 60_000 });
    const d = startCli(['drive', '--config', DRIVER, '-u', '-a', name, '-S', join(dir, 'ipi_')], { timeoutMs: 60_000 });
    const t0 = Date.now();
    while (!/^\s+0\s+0\.000\s/m.test(e.output().stdout)) {
      if (Date.now() - t0 > 30_000) throw new Error(`no step 0 row:\n${e.output().stdout}\n${e.output().stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    d.child.kill('SIGKILL');
    const r = await e.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/anisodrive: error: .*driver/);
    expectNoStack(r.stderr);
    expect(r.stdout).toMatch(new RegExp(`the run failed after \\d+ steps; kept what it wrote as ${out}\\.partial\\.extxyz and ${out}\\.partial\\.energy\\.csv`));
    expect(readFileSync(`${out}.extxyz`, 'utf8')).toBe('old trajectory\n');
    expect(readFileSync(`${out}.energy.csv`, 'utf8')).toBe('old energies\n');
    expect(readFileSync(`${out}.partial.extxyz`, 'utf8').split('\n')[0]).toBe('576');
    expect(readFileSync(`${out}.partial.energy.csv`, 'utf8')).toMatch(/^step,time_fs,potential_eV/);
    expect(readdirSync(dir).sort()).toEqual(['keep.energy.csv', 'keep.extxyz', 'keep.partial.energy.csv', 'keep.partial.extxyz']);
  });

  it('F67 item 2: a second engine on a live socket exits 2 and leaves the first running, its socket file in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-ef-'));
    const name = uniqueName('live');
    const socket = join(dir, `ipi_${name}`);
    const first = engine(dir, name, join(dir, 'first'));
    await waitForPath(socket, 20_000);
    const second = await engine(dir, name, join(dir, 'second')).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`anisodrive: error: cannot listen on unix socket ${socket}: another server is listening there [E_ARG]`);
    expectNoStack(second.stderr);
    expect(existsSync(socket)).toBe(true);
    expect(existsSync(join(dir, 'second.extxyz'))).toBe(false);
    // The first one skipped the probe and still serves a driver to the end.
    await untilStderr(first, /closed before answering STATUS; waiting for a driver/);
    const d = await startCli(['drive', '--config', DRIVER, '-u', '-a', name, '-S', join(dir, 'ipi_')], { timeoutMs: 30_000 }).done;
    const f = await first.done;
    expect(f.code, f.stderr).toBe(0);
    expect(d.code, d.stderr).toBe(0);
    expect(f.stdout).toMatch(/engine: 20 steps in/);
    expect(existsSync(socket)).toBe(false);
  });

  it('F69 item 3: an output in a missing directory is exit 2 naming the path and reason, before listening, no socket file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-ef-'));
    const name = uniqueName('nodir');
    const out = join(dir, 'nodir', 'x', 'eng');
    const r = await engine(dir, name, out, [], 20_000).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`anisodrive: error: cannot write the output ${out}.extxyz: directory ${join(dir, 'nodir', 'x')} does not exist [E_ARG]`);
    expectNoStack(r.stderr);
    expect(r.stdout).not.toMatch(/waiting for a driver/);
    expect(readdirSync(dir)).toEqual([]); // no socket file, nothing else
  });

  it('F71 item 8: a second driver is refused at once (EOF before any message); the first is served to the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-ef-'));
    const name = uniqueName('two');
    const e = startCli(['engine', '--init', INIT, '--steps', '1000', '--stride', '500', '--out', join(dir, 'two'), '-u', '-a', name, '-S', join(dir, 'ipi_')], { timeoutMs: 60_000 });
    const args = ['drive', '--config', DRIVER, '-u', '-a', name, '-S', join(dir, 'ipi_')];
    const d1 = startCli(args, { timeoutMs: 60_000 });
    await untilStderr(e, /driver connected/);
    const t0 = Date.now();
    const d2 = await startCli(args, { timeoutMs: 30_000 }).done;
    expect(Date.now() - t0).toBeLessThan(15_000); // refused, not left idling for the run
    // The engine closes the extra connection before any message: not a clean end for the driver.
    expect(d2.code).toBe(1);
    expect(d2.stderr).toContain(
      'anisodrive: error: the server closed the connection before sending anything (is another driver already connected?) [E_TRANSPORT]',
    );
    expect(d2.stderr).not.toMatch(/after 0 force evaluations/);
    expectNoStack(d2.stderr);
    const [re, r1] = await Promise.all([e.done, d1.done]);
    expect(re.code, re.stderr).toBe(0);
    expect(r1.code, r1.stderr).toBe(0);
    expect(re.stderr).toMatch(/refused a connection on unix socket .*: this engine already serves a driver/);
  });

  it('F70 item 9: a missing socket directory is ENOENT "directory … does not exist" on the engine side, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-ef-'));
    const missing = join(dir, 'no-such-dir');
    const r = await startCli(['engine', '--init', INIT, '--steps', '5', '--out', join(dir, 'e'), '-u', '-a', 'x', '-S', `${missing}/ipi_`], { timeoutMs: 20_000 }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot listen on unix socket ${missing}/ipi_x: ENOENT: directory ${missing} does not exist [E_ARG]`);
    expect(r.stderr).not.toMatch(/EACCES/);
    expectNoStack(r.stderr);
    expect(readdirSync(dir)).toEqual([]); // its temporary outputs removed too
  });
});
