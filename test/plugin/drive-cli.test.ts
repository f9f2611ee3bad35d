// SPDX-License-Identifier: BSD-3-Clause
/**
 * The `anisodrive drive` process against hand-written servers: how it ends. EXIT and EOF give
 * status 0; a garbage header, a server dying mid-message and NaN forces give a clear message and a
 * non-zero status, and in the NaN case not one byte of a reply reaches the server.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeHeader, encodeInit, encodePosData } from '../../src/protocol/encoder.js';
import { DUMBBELLS, killAll, startCli } from '../support/processes.js';
import { scriptedServer, until } from '../support/scripted-server.js';

afterEach(() => killAll());

const BOHR = 1.8897261; // i-PI's bohr per Å
const cellWire = [40 * BOHR, 0, 0, 0, 40 * BOHR, 0, 0, 0, 40 * BOHR];
const cellInv = [1 / (40 * BOHR), 0, 0, 0, 1 / (40 * BOHR), 0, 0, 0, 1 / (40 * BOHR)];

function drive(prefix: string, config = join(DUMBBELLS, 'driver.json')) {
  return startCli(['drive', '--config', config, '-u', '-a', 'x', '-S', prefix], { timeoutMs: 30_000 });
}

describe('anisodrive drive: how it ends', () => {
  it('exits 0 on EXIT', async () => {
    const srv = await scriptedServer(async (s, got) => {
      s.write(encodeHeader('STATUS'));
      await until(got, 12);
      s.write(encodeHeader('EXIT'));
    });
    const d = await drive(srv.prefix).done;
    srv.close();
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/server sent EXIT/);
  });

  it('exits 0 on EOF between messages (ASE never sends EXIT)', async () => {
    const srv = await scriptedServer(async (s, got) => {
      s.write(encodeHeader('STATUS'));
      await until(got, 12);
      s.end();
    });
    const d = await drive(srv.prefix).done;
    srv.close();
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/server closed the connection/);
  });

  it('exits 1 naming the header on garbage', async () => {
    const srv = await scriptedServer(async (s) => {
      s.write(Buffer.from('HELLO WORLD!'));
    });
    const d = await drive(srv.prefix).done;
    srv.close();
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/HELLO WORLD!/);
    expect(d.stderr).toMatch(/E_PROTOCOL/);
  });

  it('exits 1 when the server dies mid-message', async () => {
    const srv = await scriptedServer(async (s, got) => {
      s.write(encodeHeader('STATUS'));
      await until(got, 12);
      const msg = encodePosData({ h: cellWire, hInv: cellInv, positions: new Float64Array(12) });
      s.write(msg.subarray(0, 100));
      await new Promise((r) => setTimeout(r, 50));
      s.destroy();
    });
    const d = await drive(srv.prefix).done;
    srv.close();
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/E_TRANSPORT/);
    expect(d.stderr).toMatch(/mid-message|POSDATA/);
  });

  it('never sends a reply with NaN forces: exits 1, server gets nothing after POSDATA', async () => {
    // Two dumbbells stacked on the same sites: coincident ellipsoid centres have no GB direction.
    const pos = Float64Array.from([10, 10, 8, 10, 10, 12, 10, 10, 8, 10, 10, 12].map((x) => x * BOHR));
    let before = -1;
    const srv = await scriptedServer(async (s, got) => {
      s.write(encodeHeader('STATUS'));
      await until(got, 12);
      s.write(encodeHeader('STATUS')); // the driver asked for INIT first
      await until(got, 24);
      s.write(encodeInit(0, ' '));
      s.write(encodeHeader('STATUS'));
      await until(got, 36);
      before = got().length;
      s.write(encodePosData({ h: cellWire, hInv: cellInv, positions: pos }, { trailer: 'GETFORCE' }));
    });
    const d = await drive(srv.prefix).done;
    const received = await srv.finished;
    srv.close();
    expect(before).toBe(36);
    expect(received.length).toBe(36); // STATUS replies only; not a byte of FORCEREADY
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/E_NONFINITE|E_MAPPING|not finite|NaN/);
  });

  it('exits 2 with the path of a bad config value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-cfg-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ potentials: [{ kind: 'gayberne', kappa: -3, kappaPrime: 5 }] }));
    const d = await startCli(['drive', '--config', file]).done;
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/potentials\.0\.kappa/);
    expect(d.stderr).toMatch(/-3/);
  });

  it('exits 2 for an unknown potential kind, listing the allowed ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anisodrive-cfg-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ potentials: [{ kind: 'morse' }] }));
    const d = await startCli(['drive', '--config', file]).done;
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/gayberne/);
  });
});
