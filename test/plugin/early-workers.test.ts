// SPDX-License-Identifier: BSD-3-Clause
/**
 * Workers started by the command line before it loads its modules: only for `featurize`, one per
 * further core, bounded by `--threads`, none for `--threads 1`, a single core or other commands;
 * and the featurize path (its command module and the calculator) loads no schema library (zod
 * costs ~0.1 s of start-up), which a static walk of the compiled import graph checks.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { earlyWorkerCount } from '../../plugin/early-workers.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Bare package imports reachable from `entry` through static imports and re-exports. */
function packagesReachable(entry: string): Set<string> {
  const seen = new Set<string>(), packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return packages;
}

describe('early workers of the command line', () => {
  it('featurize gets one per further core, bounded by --threads; nothing else does', () => {
    expect(earlyWorkerCount(['featurize', 'in.xyz', '--lmax', '3'], 4)).toBe(3);
    expect(earlyWorkerCount(['featurize', 'in.xyz', '--threads', '2'], 4)).toBe(1);
    expect(earlyWorkerCount(['featurize', 'in.xyz', '--threads=8'], 4)).toBe(3);
    expect(earlyWorkerCount(['featurize', 'in.xyz', '--threads', '1'], 4)).toBe(0);
    expect(earlyWorkerCount(['featurize', 'in.xyz'], 1)).toBe(0);
    expect(earlyWorkerCount(['predict', 'm.msgpack', 'in.xyz'], 4)).toBe(0);
    expect(earlyWorkerCount([], 4)).toBe(0);
  });

  it('the featurize command and the AniSOAP worker load no zod', () => {
    for (const entry of ['plugin/commands/featurize.js', 'plugin/commands/featurize-flags.js', 'src/features/anisoap/worker.js', 'plugin/early-workers.js']) {
      const packages = packagesReachable(DIST + entry);
      expect([...packages].filter((p) => p === 'zod' || p.startsWith('zod/')), entry).toEqual([]);
    }
    // the walk does see packages: the train configuration's schema uses zod
    expect(packagesReachable(DIST + 'src/features/anisoap/kind.js').has('zod')).toBe(true);
  });
});
