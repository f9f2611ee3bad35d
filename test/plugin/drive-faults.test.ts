// SPDX-License-Identifier: BSD-3-Clause
/**
 * Faults of the `anisodrive drive` process (issue 8, items 4, 5, 7, 10) against hand-written
 * servers: a singular cell (exit 1 unless `--no-periodic`), a server resetting the connection
 * mid-step (exit 1, distinct from EXIT/EOF's 0), `-u -p 0` (accepted, the port ignored), a silent
 * server with `--timeout` (exit 1 naming the timeout). Every process has a deadline.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeHeader, encodeInit, encodePosData } from '../../src/protocol/encoder.js';
import { DUMBBELLS, killAll, startCli } from '../support/processes.js';
import { scriptedServer, until } from '../support/scripted-server.js';

afterEach(() => killAll());

const BOHR = 1.8897261; // i-PI's bohr per Å
const CONFIG = join(DUMBBELLS, 'driver.json');
/** Two dumbbells (four sites) 12 Å apart, bohr. */
const SITES = Float64Array.from([10, 10, 8, 10, 10, 12, 22, 10, 8, 22, 10, 12].map((x) => x * BOHR));
/** A 2-D system's cell: c = 0 (columns are lattice vectors), bohr. */
const FLAT = [40 * BOHR, 0, 0, 0, 40 * BOHR, 0, 0, 0, 0];
const BOX = [40 * BOHR, 0, 0, 0, 40 * BOHR, 0, 0, 0, 40 * BOHR];
const FORCEREADY_4 = 12 + 8 + 4 + 24 * 4 + 72 + 4;

function drive(prefix: string, extra: string[] = []) {
  return startCli(['drive', '--config', CONFIG, '-u', '-a', 'x', '-S', prefix, ...extra], { timeoutMs: 30_000 });
}

/** STATUS → NEEDINIT, INIT, STATUS → READY: 24 bytes from the driver. */
async function handshake(s: import('node:net').Socket, got: () => Buffer): Promise<void> {
  s.write(encodeHeader('STATUS'));
  await until(got, 12);
  s.write(Buffer.concat([encodeInit(0, ' '), encodeHeader('STATUS')]));
  await until(got, 24);
}

describe('anisodrive drive: faults of the server side', () => {
  it('F72 singular non-zero cell: exits 1 with E_CELL naming the cell in Å and --no-periodic; no reply sent', async () => {
    const srv = await scriptedServer(async (s, got) => {
      await handshake(s, got);
      s.write(encodePosData({ h: FLAT, hInv: new Float64Array(9), positions: SITES }, { trailer: 'GETFORCE' }));
    });
    const d = await drive(srv.prefix).done;
    const received = await srv.finished;
    srv.close();
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/E_CELL/);
    expect(d.stderr).toMatch(/singular cell/);
    expect(d.stderr).toMatch(/c = \(0, 0, 0\) Å/);
    expect(d.stderr).toMatch(/--no-periodic/);
    expect(received.length).toBe(24); // the STATUS answers only
    expect(d.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('singular cell with --no-periodic: served as a non-periodic frame, exits 0 on EXIT', async () => {
    const srv = await scriptedServer(async (s, got) => {
      await handshake(s, got);
      s.write(encodePosData({ h: FLAT, hInv: new Float64Array(9), positions: SITES }, { trailer: 'GETFORCE' }));
      await until(got, 24 + FORCEREADY_4);
      s.write(encodeHeader('EXIT'));
    });
    const d = await drive(srv.prefix, ['--no-periodic']).done;
    const received = await srv.finished;
    srv.close();
    expect(d.code).toBe(0);
    expect(received.subarray(24, 36).toString('latin1')).toBe('FORCEREADY  ');
  });

  it('F73 server resetting the connection with GETFORCE pending: exits 1, "died mid-step"', async () => {
    // The server never reads: the FORCEREADY stays unread and its close resets the connection.
    const srv = await scriptedServer(
      async (s) => {
        s.write(Buffer.concat([encodeInit(0, ' '), encodePosData({ h: BOX, hInv: new Float64Array(9), positions: SITES }, { trailer: 'GETFORCE' })]));
        await new Promise((r) => setTimeout(r, 1500));
        s.destroy();
      },
      { pauseOnConnect: true },
    );
    const d = await drive(srv.prefix).done;
    srv.close();
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/died mid-step/);
    expect(d.stderr).toMatch(/ECONNRESET|EPIPE/);
    expect(d.stderr).toMatch(/E_TRANSPORT/);
    expect(d.stderr).not.toMatch(/\n\s+at /);
  });

  it('F74 -u -a NAME -p 0 (the i-PI tools template) is accepted: the port is ignored, exits 0 on EXIT', async () => {
    const srv = await scriptedServer(async (s, got) => {
      s.write(encodeHeader('STATUS'));
      await until(got, 12);
      s.write(encodeHeader('EXIT'));
    });
    const d = await drive(srv.prefix, ['-p', '0']).done;
    srv.close();
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/server sent EXIT/);
  });

  it('-p 0 for TCP is refused: exits 2 saying a TCP port is 1..65535 and only -u ignores it', async () => {
    const d = await startCli(['drive', '--config', CONFIG, '-a', 'localhost', '-p', '0'], { timeoutMs: 30_000 }).done;
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/1\.\.65535/);
    expect(d.stderr).toMatch(/-u/);
  });

  it('F75 --timeout 0.5 with a silent server: exits 1 naming the timeout, within bounds', async () => {
    const srv = await scriptedServer(() => new Promise((r) => setTimeout(r, 8000)));
    const t0 = Date.now();
    const d = await drive(srv.prefix, ['--timeout', '0.5']).done;
    const s = (Date.now() - t0) / 1000;
    srv.close();
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/sent nothing for 0\.5 s \(timeout 0\.5 s\)/);
    expect(d.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(s).toBeLessThan(7);
  });

  it('--timeout must be a positive number: exits 2', async () => {
    const d = await startCli(['drive', '--config', CONFIG, '--timeout', '-1'], { timeoutMs: 30_000 }).done;
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--timeout/);
  });
});
