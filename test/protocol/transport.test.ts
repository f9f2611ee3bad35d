// SPDX-License-Identifier: BSD-3-Clause
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import { Cell } from '../../src/core/cell.js';
import { lineLogger } from '../../src/protocol/logger.js';
import { runDriver } from '../../src/protocol/run-driver.js';
import { IpiServer } from '../../src/protocol/server.js';
import { connect, describeTarget, resolveTarget, unixSocketPath } from '../../src/protocol/transport.js';
import { rejection } from '../support/assertions.js';

const dir = mkdtempSync(join(tmpdir(), 'anisodrive-tr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const zero = {
  compute: (s: ParticleSystem): ForceResult => ({ energy: 0, forces: new Float64Array(3 * s.n), torques: null, virial: new Float64Array(9), extras: {} }),
};

describe('unix socket paths', () => {
  it("follow i-PI's convention: prefix + address, default prefix /tmp/ipi_", () => {
    expect(unixSocketPath('driver')).toBe('/tmp/ipi_driver');
    expect(unixSocketPath('driver', '/scratch/run1/ipi_')).toBe('/scratch/run1/ipi_driver');
    expect(unixSocketPath('./x', '')).toBe('./x'); // plain concatenation, no separator added
    expect(unixSocketPath('x', '/tmp/')).toBe('/tmp/x');
    expect(resolveTarget({ mode: 'unix' })).toEqual({ mode: 'unix', path: '/tmp/ipi_localhost' });
    expect(describeTarget(resolveTarget({ mode: 'unix', address: 'a' }))).toBe('unix socket /tmp/ipi_a');
  });

  it('refuse paths longer than the 107-byte sun_path limit, with a clear message', () => {
    const prefix = '/tmp/' + 'p'.repeat(97); // 102 bytes
    expect(unixSocketPath('abcde', prefix)).toHaveLength(107);
    let err: AnisoError | null = null;
    try {
      unixSocketPath('abcdef', prefix);
    } catch (e) {
      err = e as AnisoError;
    }
    expect(err?.code).toBe('E_ARG');
    expect(err?.message).toBe(
      `unix socket path '${prefix}abcdef' is 108 bytes; the limit (sun_path) is 107: use a shorter address or a shorter prefix (-S)`,
    );
    expect(() => unixSocketPath('é'.repeat(52), '/tmp/ipi_')).toThrow('113 bytes'); // bytes, not characters
    expect(() => unixSocketPath('', '/tmp/ipi_')).toThrow('empty');
  });

  it('inet needs a valid port', () => {
    expect(resolveTarget({ mode: 'inet', port: 31415 })).toEqual({ mode: 'inet', host: 'localhost', port: 31415 });
    expect(() => resolveTarget({ mode: 'inet' })).toThrow('inet socket needs a port between 0 and 65535, got undefined');
    expect(() => resolveTarget({ mode: 'inet', port: 70000 })).toThrow('got 70000');
    expect(() => resolveTarget({ mode: 'tcp' as 'inet', port: 1 })).toThrow("socket mode must be 'unix' or 'inet', got 'tcp'");
  });
});

describe('connect', () => {
  it('retries until the server listens, then drives it (unix)', async () => {
    const prefix = join(dir, 'ipi_');
    const lines: string[] = [];
    let startServer: (() => void) | null = null;
    const serverP = new Promise<IpiServer>((resolve) => {
      startServer = () => resolve(IpiServer.listen({ mode: 'unix', address: 'late', prefix }));
    });
    const driver = runDriver({
      mode: 'unix',
      address: 'late',
      prefix,
      retryMs: 30_000,
      retryIntervalMs: 5,
      logger: lineLogger((l) => lines.push(l)),
      // Start the server only once the driver has failed to connect at least once.
      onRetry: () => {
        startServer?.();
        startServer = null;
      },
      provider: zero,
    });
    const s = await serverP;
    const conn = await s.accept();
    const r = await conn.compute({ n: 2, positions: new Float64Array(6), cell: Cell.open() });
    expect(Array.from(r.forces)).toEqual([0, 0, 0, 0, 0, 0]);
    await conn.close();
    expect((await driver).reason).toBe('exit');
    await s.close();
    expect(lines[0]).toBe(` !W! unix socket ${prefix}late not available yet (ENOENT); retrying for up to 30.0 s`);
    expect(lines.some((l) => l.startsWith(`@SOCKET: connected to unix socket ${prefix}late after `))).toBe(true);
  });

  it('retries a refused TCP port until the server listens', async () => {
    // Find a free port, then leave it closed until the first refusal.
    const probe = await IpiServer.listen({ mode: 'inet', address: '127.0.0.1', port: 0 });
    const port = probe.target.mode === 'inet' ? probe.target.port : 0;
    await probe.close();
    let server: Promise<IpiServer> | null = null;
    const socket = connect({
      mode: 'inet',
      address: '127.0.0.1',
      port,
      retryIntervalMs: 5,
      onRetry: (_attempt, err) => {
        expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
        server ??= IpiServer.listen({ mode: 'inet', address: '127.0.0.1', port });
      },
    });
    const sock = await socket;
    expect(sock.remotePort).toBe(port);
    sock.destroy();
    await (await server!).close();
  });

  it('names a missing socket directory as such (ENOENT, not a missing socket file)', async () => {
    const missing = join(dir, 'no-such-dir');
    const err = await rejection(connect({ mode: 'unix', address: 'x', prefix: `${missing}/ipi_`, retryMs: 0 }));
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toBe(`could not connect to unix socket ${missing}/ipi_x: ENOENT (directory ${missing} does not exist: check the prefix (-S) and the address)`);
  });

  it('gives up with a message naming the endpoint and the cause', async () => {
    const path = join(dir, 'ipi_nobody');
    const once = await rejection(connect({ mode: 'unix', address: 'nobody', prefix: join(dir, 'ipi_'), retryMs: 0 }));
    expect(once.code).toBe('E_TRANSPORT');
    expect(once.message).toBe(
      `could not connect to unix socket ${path}: ENOENT (no such socket file: is the server running, and are the address and prefix (-S) right?)`,
    );
    const retried = await rejection(connect({ mode: 'unix', address: 'nobody', prefix: join(dir, 'ipi_'), retryMs: 30, retryIntervalMs: 5 }));
    expect(retried.message).toMatch(new RegExp(`^could not connect to unix socket ${path} after \\d+ attempts over 0\\.\\d s: ENOENT`));
    const ac = new AbortController();
    const aborted = connect({ mode: 'unix', address: 'nobody', prefix: join(dir, 'ipi_'), retryIntervalMs: 5, onRetry: () => ac.abort(), signal: ac.signal });
    expect((await rejection(aborted)).message).toBe(`connecting to unix socket ${path} aborted after 1 attempts`);
    const long = await rejection(connect({ mode: 'unix', address: 'x'.repeat(120) }));
    expect(long.code).toBe('E_ARG');
    // A driver without a provider fails before touching the network.
    const noProvider = await rejection(runDriver({ mode: 'unix', address: 'nobody', prefix: join(dir, 'ipi_'), provider: {} as typeof zero }));
    expect(noProvider.code).toBe('E_ARG');
  });
});
