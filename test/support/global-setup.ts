// SPDX-License-Identifier: BSD-3-Clause
/**
 * vitest global setup: compile the project (incrementally; a no-op when nothing changed) so that
 * tests which start the real `anisodrive` CLI in a child process run the current sources.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
}
