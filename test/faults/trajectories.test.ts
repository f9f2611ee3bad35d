// SPDX-License-Identifier: BSD-3-Clause
/**
 * Fault suite, trajectories and input frames (docs/FAULTS.md, F54–F61): truncated, garbled and
 * missing extended XYZ, LAMMPS dump and gzip files given to `anisodrive analyze`, `replay` and
 * `engine --init`. Each is exit 1 `E_IO` naming file:line and what was found there, no stack
 * trace, within seconds; the outputs already in place are left byte for byte intact and no
 * partial output is added.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFault, expectUnchanged, freshDir, snapshot, within, writeIn } from '../support/fault-checks.js';
import { DUMBBELLS, killAll, startCli } from '../support/processes.js';
import { seededRandom } from '../support/random.js';
import { referencePath } from '../support/reference-data.js';

// The scenarios run concurrently (each has its own folder and socket, and a deadline on every
// process); whatever is still running when the file ends is killed.
afterAll(() => killAll());

const MAPPING = join(DUMBBELLS, 'driver.json');
const SITES_XYZ = readFileSync(join(DUMBBELLS, 'init.xyz'), 'utf8'); // one frame, 576 sites
const NEMATIC = readFileSync(referencePath('lc/traj_nematic.lammpstrj'), 'utf8'); // 512 ellipsoids per frame

/**
 * `analyze FILE --out DIR` where DIR already holds a previous analysis: exit 1 naming `message`,
 * DIR exactly as it was. `extra`: more flags (the dumbbell mapping for site files).
 */
async function analyzeWith(name: string, content: string | Uint8Array, message: string | RegExp, extra: string[] = []) {
  const dir = freshDir('ft');
  const traj = writeIn(dir, name, content);
  const out = join(dir, 'analysis');
  mkdirSync(out);
  writeIn(out, 'order.csv', 'frame,S2\n0,0.5\n');
  writeIn(out, 'summary.json', '{"previous": true}\n');
  const before = snapshot(out);
  const r = await within(startCli(['analyze', traj, '--out', out, ...extra], { timeoutMs: 30_000 }), 15_000);
  expectFault(r, 1, message);
  expect(r.stderr).toContain(`${traj}:`);
  expect(r.stderr).toMatch(/\[E_IO\]/);
  expectUnchanged(out, before);
  return { dir, traj };
}

describe.concurrent('fault suite: trajectories and input frames', () => {
  it('F54 truncated extended XYZ: exit 1 E_IO at file:line with the particle lines found and expected', async () => {
    await analyzeWith('cut.xyz', SITES_XYZ.slice(0, 20_000), /cut\.xyz:442: file ends after 439 of 576 particle lines of frame 0 \(truncated frame\)/, ['--mapping', MAPPING]);
  });

  it('F55 truncated LAMMPS dump (two whole frames, the third cut): exit 1 E_IO at file:line of frame 2', async () => {
    const cut = NEMATIC.split('\n').slice(0, 1400).join('\n') + '\n';
    await analyzeWith('cut.lammpstrj', cut, /cut\.lammpstrj:1401: file ends after 349 of 512 atom lines of frame 2 \(truncated frame\)/);
  });

  it('F56 garbage bytes as a trajectory: exit 1 E_IO at line 1 saying an atom count was expected', async () => {
    const rand = seededRandom(56);
    const bytes = Buffer.from(Array.from({ length: 5000 }, () => 33 + Math.floor(rand() * 90)));
    await analyzeWith('garbage.xyz', bytes, /garbage\.xyz:1: expected the atom count of frame 0, found '/);
  });

  it("F57 a non-numeric atom count: exit 1 E_IO at line 1 naming 'abc'", async () => {
    await analyzeWith('count.xyz', 'abc\ncomment\nX 0 0 0\n', "count.xyz:1: expected the atom count of frame 0, found 'abc'");
  });

  it("F58 a non-numeric coordinate: exit 1 E_IO at file:line naming the column and 'abc'", async () => {
    const lines = SITES_XYZ.split('\n');
    lines[9] = lines[9]!.replace(/^(\S+\s+)\S+/, '$1abc');
    await analyzeWith('coord.xyz', lines.join('\n'), "coord.xyz:10: column 2 (pos[0]) is 'abc', not a number", ['--mapping', MAPPING]);
  });

  it('F59 truncated gzip trajectory: exit 1 E_IO naming the file:line where the data stops', async () => {
    await analyzeWith('cut.xyz.gz', gzipSync(SITES_XYZ).subarray(0, 5000), /cut\.xyz\.gz:\d+: gzip data is corrupt or truncated \(unexpected end of file\)/, ['--mapping', MAPPING]);
  });

  it('F60 replay on a truncated trajectory: exit 1 E_IO at file:line; the existing --out file intact', async () => {
    const dir = freshDir('ft');
    const traj = writeIn(dir, 'cut.xyz', SITES_XYZ.slice(0, 20_000));
    writeIn(dir, 'replayed.xyz', '1\nprevious replay\nX 0 0 0\n');
    const before = snapshot(dir);
    const r = await within(startCli(['replay', '--config', MAPPING, traj, '--out', join(dir, 'replayed.xyz')], { timeoutMs: 20_000 }), 10_000);
    expectFault(r, 1, `${traj}:442: file ends after 439 of 576 particle lines of frame 0 (truncated frame) [E_IO]`);
    expectUnchanged(dir, before);
  });

  it('F61 missing trajectory or --init file: exit 1 E_IO naming the path and ENOENT; nothing created', async () => {
    const dir = freshDir('ft');
    const missing = join(dir, 'none.xyz');
    const a = await within(startCli(['analyze', missing, '--out', join(dir, 'analysis')], { timeoutMs: 20_000 }), 10_000);
    expectFault(a, 1, `${missing}: cannot open: ENOENT`);
    const e = await within(startCli(['engine', '--init', missing, '--steps', '5', '--out', join(dir, 'e'), '-u', '-a', 'x', '-S', join(dir, 'ipi_')], { timeoutMs: 20_000 }), 10_000);
    expectFault(e, 1, /none\.xyz.*ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('F62 engine --init truncated: exit 1 E_IO at file:line; no output, temporary or socket file left', async () => {
    const dir = freshDir('ft');
    const init = writeIn(dir, 'init.xyz', SITES_XYZ.slice(0, 20_000));
    const r = await within(startCli(['engine', '--init', init, '--steps', '5', '--out', join(dir, 'e'), '-u', '-a', 'x', '-S', join(dir, 'ipi_')], { timeoutMs: 20_000 }), 10_000);
    expectFault(r, 1, `${init}:442: file ends after 439 of 576 particle lines of frame 0 (truncated frame) [E_IO]`);
    expect(readdirSync(dir)).toEqual(['init.xyz']);
  });
});
