// SPDX-License-Identifier: BSD-3-Clause
/**
 * Fault suite, reaching the server (docs/FAULTS.md, F23–F31, F76): a stale socket file, an over-long
 * socket path, nothing listening, a missing socket directory, signals while connecting or waiting, as real `anisodrive drive`
 * and `engine` processes. Each scenario asserts the exit code, the message naming the path or
 * address and the reason, no stack trace, no hang, and (for the engine) its old outputs intact.
 */
import { linkSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeInit, encodePosData } from '../../src/protocol/encoder.js';
import { expectCleanEnd, expectFault, expectUnchanged, freshDir, snapshot, within, writeIn, zeroConfig } from '../support/fault-checks.js';
import { DUMBBELLS, freePort, killAll, startCli, uniqueName, waitForPath, type Started } from '../support/processes.js';
import { scriptedServer, until } from '../support/scripted-server.js';

// The scenarios run concurrently (each has its own folder and socket, and a deadline on every
// process); whatever is still running when the file ends is killed.
afterAll(() => killAll());

const INIT_XYZ = join(DUMBBELLS, 'init.xyz');
const LONG_NAME = 'x'.repeat(120);

/** Wait until `started` has printed `pattern` on stderr (20 s at most). */
async function untilStderr(started: Started, pattern: RegExp): Promise<void> {
  const t0 = Date.now();
  while (!pattern.test(started.output().stderr)) {
    if (Date.now() - t0 > 20_000) throw new Error(`stderr never matched ${pattern}:\n${started.output().stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.concurrent('fault suite: reaching the server', () => {
  it('F23 stale socket file: a socket file nobody listens on is exit 1 after the retry window, naming ECONNREFUSED and the path', async () => {
    const dir = freshDir('fc');
    const config = zeroConfig(dir);
    const path = join(dir, 'ipi_stale');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(path, r));
    // Closing a listener removes its file; a hard link keeps a second name for the dead socket.
    linkSync(path, join(dir, 'ipi_dead'));
    await new Promise<void>((r) => server.close(() => r()));
    const r = await within(startCli(['drive', '--config', config, '-u', '-a', 'dead', '-S', join(dir, 'ipi_')], { timeoutMs: 20_000 }), 10_000);
    expectFault(r, 1, `could not connect to unix socket ${join(dir, 'ipi_dead')} after`);
    expect(r.stderr).toContain('ECONNREFUSED (nothing is listening on it (stale socket file?)) [E_TRANSPORT]');
  });

  it('F24 over-long socket path (drive): a 144-byte path is exit 2 E_ARG naming its length and the 107-byte limit, at once', async () => {
    const dir = freshDir('fc');
    const r = await within(startCli(['drive', '--config', zeroConfig(dir), '-u', '-a', LONG_NAME, '-S', join(dir, 'ipi_')], { timeoutMs: 20_000 }), 5000);
    expectFault(r, 2, /unix socket path '.*x{120}' is \d+ bytes; the limit \(sun_path\) is 107: use a shorter address or a shorter prefix \(-S\) \[E_ARG\]/);
  });

  it('F25 over-long socket path (engine): exit 2 naming the limit; no output or socket file created', async () => {
    const dir = freshDir('fc');
    const r = await within(startCli(['engine', '--init', INIT_XYZ, '--steps', '5', '--out', join(dir, 'e'), '-u', '-a', LONG_NAME, '-S', join(dir, 'ipi_')], { timeoutMs: 20_000 }), 5000);
    expectFault(r, 2, /the limit \(sun_path\) is 107/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('F26 nothing listening (TCP): exit 1 after the retry window naming host:port and ECONNREFUSED', async () => {
    const dir = freshDir('fc');
    const port = await freePort();
    const r = await within(startCli(['drive', '--config', zeroConfig(dir), '-a', '127.0.0.1', '-p', String(port)], { timeoutMs: 20_000 }), 10_000);
    expectFault(r, 1, `could not connect to tcp 127.0.0.1:${port} after`);
    expect(r.stderr).toContain('ECONNREFUSED (nothing is listening on that port) [E_TRANSPORT]');
  });

  it('F27 nothing listening (unix, no socket file): exit 1 naming the path, ENOENT and the -S prefix', async () => {
    const dir = freshDir('fc');
    const r = await within(startCli(['drive', '--config', zeroConfig(dir), '-u', '-a', 'none', '-S', join(dir, 'ipi_')], { timeoutMs: 20_000 }), 10_000);
    expectFault(r, 1, `could not connect to unix socket ${join(dir, 'ipi_none')} after`);
    expect(r.stderr).toContain('ENOENT (no such socket file: is the server running, and are the address and prefix (-S) right?)');
  });

  it('F76 the socket directory is missing (drive): exit 1 after the retry window naming ENOENT and the directory, not EACCES', async () => {
    const dir = freshDir('fc');
    const missing = join(dir, 'no-such-dir');
    const r = await within(startCli(['drive', '--config', zeroConfig(dir), '-u', '-a', 'x', '-S', `${missing}/ipi_`], { timeoutMs: 20_000 }), 10_000);
    expectFault(r, 1, `could not connect to unix socket ${missing}/ipi_x after`);
    expect(r.stderr).toContain(`ENOENT (directory ${missing} does not exist: check the prefix (-S) and the address) [E_TRANSPORT]`);
    expect(r.stderr).not.toMatch(/EACCES/);
  });

  /** Signal a driver retrying a missing socket (60 s window): it must stop at once with exit 1. */
  async function signalWhileConnecting(signal: NodeJS.Signals): Promise<void> {
    const dir = freshDir('fc');
    const d = startCli(['drive', '--config', zeroConfig(dir, 60), '-u', '-a', 'none', '-S', join(dir, 'ipi_')], { timeoutMs: 30_000 });
    await untilStderr(d, /not available yet \(ENOENT\); retrying for up to 60\.0 s/);
    d.child.kill(signal);
    const r = await within(d, 5000);
    expectFault(r, 1, /connecting to unix socket .*ipi_none aborted after \d+ attempts \[E_TRANSPORT\]/);
  }

  it('F28 SIGINT while connecting: the retry loop stops at once; exit 1 "aborted"', () => signalWhileConnecting('SIGINT'));

  it('F29 SIGTERM while connecting: the retry loop stops at once; exit 1 "aborted"', () => signalWhileConnecting('SIGTERM'));

  it('F30 SIGTERM between steps: the driver stops cleanly after the steps it answered; exit 0', async () => {
    const dir = freshDir('fc');
    const ready = 12 + 8 + 4 + 24 + 72 + 4;
    let started: Started | null = null;
    const srv = await scriptedServer(async (s, got) => {
      s.write(Buffer.concat([encodeInit(0, ' '), encodePosData({ h: [40, 0, 0, 0, 40, 0, 0, 0, 40], hInv: new Float64Array(9), positions: Float64Array.of(1, 2, 3) }, { trailer: 'GETFORCE' })]));
      await until(got, ready);
      started!.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 3000));
    });
    started = startCli(['drive', '--config', zeroConfig(dir), '-u', '-a', 'x', '-S', srv.prefix], { timeoutMs: 20_000 });
    const r = await within(started, 10_000);
    srv.close();
    expectCleanEnd(r, 'anisodrive drive: stopped by signal after 1 force evaluations');
  });

  it('F31 SIGINT to an engine waiting for a driver: exit 1 "aborted"; existing outputs byte for byte intact, no socket file', async () => {
    const dir = freshDir('fc');
    writeIn(dir, 'run.extxyz', 'previous trajectory\n'.repeat(1000));
    writeIn(dir, 'run.energy.csv', 'step,previous\n');
    const before = snapshot(dir);
    const name = uniqueName('wait');
    const e = startCli(['engine', '--init', INIT_XYZ, '--steps', '10', '--out', join(dir, 'run'), '-u', '-a', name, '-S', join(dir, 'ipi_')], { timeoutMs: 30_000 });
    await waitForPath(join(dir, `ipi_${name}`), 20_000);
    e.child.kill('SIGINT');
    const r = await within(e, 10_000);
    expectFault(r, 1, /waiting for a driver on unix socket .* aborted/);
    expectUnchanged(dir, before);
  });
});
