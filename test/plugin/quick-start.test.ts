// SPDX-License-Identifier: BSD-3-Clause
/**
 * The README's commands as a newcomer types them in a clone after `npm install`: `npx anisodrive …`
 * resolves the package's own bin (no registry: `--no-install` fails rather than download), from
 * the root and from a subfolder, and `npm install -g --prefix DIR .` gives a global command.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../plugin/version.js';
import { killAll, ROOT, start } from '../support/processes.js';

afterEach(() => killAll());

describe('README quick start, as written', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'anisodrive-gprefix-'));
  afterAll(() => rmSync(prefix, { recursive: true, force: true }));

  it('the README shows `npx anisodrive …` and the global install', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npx anisodrive --version');
    expect(readme).toContain('npm install -g .');
  });

  it('`npx --no-install anisodrive --version` in the clone runs the package\'s own bin', async () => {
    for (const cwd of [ROOT, join(ROOT, 'examples')]) {
      const done = await start('npx', ['--no-install', 'anisodrive', '--version'], { cwd, timeoutMs: 60_000 }).done;
      expect(done.code, `${cwd}: ${done.stderr}`).toBe(0);
      expect(done.stdout.trim()).toBe(VERSION);
    }
  }, 130_000);

  it('`npm install -g --prefix DIR .` installs an `anisodrive` command in DIR/bin', async () => {
    const install = await start('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '.'], { cwd: ROOT, timeoutMs: 120_000 }).done;
    expect(install.code, install.stderr).toBe(0);
    const done = await start(join(prefix, 'bin', 'anisodrive'), ['--version'], { timeoutMs: 30_000 }).done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout.trim()).toBe(VERSION);
  }, 160_000);
});
