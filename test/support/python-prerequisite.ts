// SPDX-License-Identifier: BSD-3-Clause
/**
 * The one check of the tests that need Python modules (numpy, ASE): it fails the test loudly, in
 * one line that names what to install, instead of a Python traceback or a silent skip.
 */
import { spawnSync } from 'node:child_process';
import { PYTHON } from './processes.js';

/**
 * Throw unless `PYTHON` (see processes.ts) imports every module in `modules`, e.g.
 * `requirePython('numpy')` or `requirePython('ase.calculators.socketio')`.
 */
export function requirePython(...modules: string[]): void {
  const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  if (r.status === 0) return;
  throw new Error(
    `this test needs the Python module(s) ${modules.join(', ')} in ${PYTHON}: install Debian python3-ase (apt-get install python3-ase, for /usr/bin/python3; it brings numpy) or run ${PYTHON} -m pip install ase, or set ANISODRIVE_PYTHON to a Python that has them`,
  );
}
