// SPDX-License-Identifier: BSD-3-Clause
/**
 * The ASE recipe run by a Python without ASE (here: the test Python with `-S`, which hides its
 * site packages, so neither numpy nor ASE imports): one line naming the interpreter and how to
 * install ASE, exit status 2, no Python traceback.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, PYTHON, ROOT, start } from '../support/processes.js';

afterEach(() => killAll());

const SCRIPT = join(ROOT, 'integrations', 'ase', 'md_socketio.py');

describe('integrations/ase/md_socketio.py without ASE', () => {
  it('prints one line naming the interpreter and the install commands, exits 2, no traceback', async () => {
    const done = await start(PYTHON, ['-S', SCRIPT, '--init', join(ROOT, 'examples', 'gayberne-dumbbells', 'init.xyz'), '--unix', 'never-used'], { timeoutMs: 30_000 }).done;
    expect(done.code, done.stderr).toBe(2);
    expect(done.stdout).toBe('');
    const lines = done.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^md_socketio\.py: cannot import (numpy|ase) in \S+ \(Python 3\.\d+/);
    expect(lines[0]).toContain('apt-get install python3-ase');
    expect(lines[0]).toContain('-m pip install ase');
    expect(done.stderr).not.toMatch(/Traceback|ModuleNotFoundError/);
  });
});
