// SPDX-License-Identifier: BSD-3-Clause
/**
 * Fault suite, malformed configurations and command lines (docs/FAULTS.md, F32–F43): real
 * `anisodrive` processes given broken JSON, wrong types, unknown kinds and keys, missing files
 * and bad flags. Each is refused before any socket is opened or any output written: the exit code,
 * a message naming the file, the JSON path and the bad value, no stack trace, within seconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFault, freshDir, within, writeIn } from '../support/fault-checks.js';
import { DUMBBELLS, killAll, startCli } from '../support/processes.js';

// The scenarios run concurrently (each has its own folder and socket, and a deadline on every
// process); whatever is still running when the file ends is killed.
afterAll(() => killAll());

const INIT_XYZ = join(DUMBBELLS, 'init.xyz');

/** Run `anisodrive args` to its end (8 s bound: these are refused at once). */
function cli(args: string[]) {
  return within(startCli(args, { timeoutMs: 20_000 }), 8000);
}

/** `drive --config FILE` with `text` as the file, in a fresh folder; the folder is returned too. */
async function driveWith(text: string) {
  const dir = freshDir('fi');
  const path = writeIn(dir, 'driver.json', text);
  const r = await cli(['drive', '--config', path, '-u', '-a', 'x', '-S', join(dir, 'ipi_')]);
  // Refused before connecting: no socket, nothing but the config in the folder.
  expect(readdirSync(dir)).toEqual(['driver.json']);
  expect(r.stderr).not.toMatch(/connecting to/);
  return { r, path };
}

describe.concurrent('fault suite: malformed configurations and command lines', () => {
  it('F32 config not valid JSON (cut off): exit 2 E_CONFIG naming the file and the position', async () => {
    const { r, path } = await driveWith('{"potentials": [ {"kind":"zero"} ');
    expectFault(r, 2, `configuration file ${path} is not valid JSON:`);
    expect(r.stderr).toMatch(/position 33 \[E_CONFIG\]/);
  });

  it('F33 config with a wrong type: a string for a number is exit 2 naming the JSON path and the value', async () => {
    const { r, path } = await driveWith('{"potentials":[{"kind":"gayberne","kappa":"three","kappaPrime":5,"mu":2,"nu":1,"sigma0":1,"epsilon0":1,"cutoff":4}]}');
    expectFault(r, 2, `invalid configuration in ${path}:`);
    expect(r.stderr).toContain('potentials.0.kappa: gayberne.kappa must be a number (got "three")');
  });

  it('F34 config with an unknown potential kind: exit 2 listing the kinds there are', async () => {
    const { r } = await driveWith('{"potentials":[{"kind":"magic"}]}');
    expectFault(r, 2, `potentials.0.kind: Invalid discriminator value. Expected 'gayberne' | 'lj' | 'restraint' | 'zero' | 'model' (got "magic")`);
  });

  it('F35 config with a misspelt key: exit 2 naming the unrecognised key', async () => {
    const { r } = await driveWith('{"potentials":[{"kind":"zero"}],"sockett":{"mode":"unix"}}');
    expectFault(r, 2, '(top level): Unrecognized key: "sockett"');
  });

  it('F36 config with an empty potentials list: exit 2 saying at least one term is needed', async () => {
    const { r } = await driveWith('{"potentials":[]}');
    expectFault(r, 2, 'potentials: potentials needs at least one term (got [])');
  });

  it('F37 config in reduced (lj) units without sigma, epsilon, mass: exit 2 naming each missing unit', async () => {
    const { r } = await driveWith('{"units":{"system":"lj"},"potentials":[{"kind":"zero"}]}');
    expectFault(r, 2, "units.sigma: units.system 'lj' needs units.sigma");
    expect(r.stderr).toContain("units.epsilon: units.system 'lj' needs units.epsilon");
    expect(r.stderr).toContain("units.mass: units.system 'lj' needs units.mass");
  });

  it('F38 config with a negative semi-axis: exit 2 naming mapping.semiaxes.1 and the value', async () => {
    const { r } = await driveWith('{"mapping":{"kind":"dumbbell","semiaxes":[0.5,-1,1.5],"bondLength":1},"potentials":[{"kind":"zero"}]}');
    expectFault(r, 2, 'mapping.semiaxes.1: mapping.semiaxes must be > 0 (got -1)');
  });

  it('F39 config file missing: exit 2 E_CONFIG naming the path and ENOENT', async () => {
    const dir = freshDir('fi');
    const r = await cli(['drive', '--config', join(dir, 'nope.json')]);
    expectFault(r, 2, `cannot read configuration file ${join(dir, 'nope.json')}: ENOENT`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('F40 train config of the wrong shape: exit 2 E_CONFIG naming each bad path, nothing written', async () => {
    const dir = freshDir('fi');
    const path = writeIn(dir, 'train.json', '{"data": 5}');
    const r = await cli(['train', '--config', path]);
    expectFault(r, 2, `invalid configuration in ${path}:`);
    expect(r.stderr).toContain('data: Invalid input: expected object, received number (got 5)');
    expect(r.stderr).toContain('features: Invalid input: expected object, received undefined');
    expect(readdirSync(dir)).toEqual(['train.json']);
  });

  it('F41 engine --init without a masses column: exit 1 naming the file and the column to add; no outputs', async () => {
    const dir = freshDir('fi');
    const text = readFileSync(INIT_XYZ, 'utf8').split('\n');
    const lines = text.map((l, i) => (i === 1 ? l.replace(':masses:R:1', '') : i >= 2 && l.trim() ? l.trim().split(/\s+/).slice(0, 4).join(' ') : l));
    const init = writeIn(dir, 'init.xyz', lines.join('\n'));
    const r = await cli(['engine', '--init', init, '--steps', '5', '--out', join(dir, 'e'), '-u', '-a', 'x', '-S', join(dir, 'ipi_')]);
    expectFault(r, 1, `${init}: the embedded engine needs site masses: add a masses:R:1 column (amu) [E_IO]`);
    expect(readdirSync(dir)).toEqual(['init.xyz']);
  });

  it('F42 a bad flag value (engine --steps -5): exit 2 E_ARG naming the flag and the value', async () => {
    const dir = freshDir('fi');
    const r = await cli(['engine', '--init', INIT_XYZ, '--steps', '-5', '--out', join(dir, 'e'), '-u', '-a', 'x', '-S', join(dir, 'ipi_')]);
    expectFault(r, 2, "steps must be a non-negative integer, got '-5' [E_ARG]");
    expect(readdirSync(dir)).toEqual([]);
  });

  it('F43 an unknown flag or a bad choice: exit 2 naming the flag (and the allowed choices)', async () => {
    const unknown = await cli(['drive', '--config', join(DUMBBELLS, 'driver.json'), '--frobnicate']);
    expectFault(unknown, 2, "error: unknown option '--frobnicate'");
    const choice = await cli(['drive', '--config', join(DUMBBELLS, 'driver.json'), '-v', 'loud']);
    expectFault(choice, 2, "argument 'loud' is invalid. Allowed choices are quiet, low, medium, high, debug.");
  });
});
