// SPDX-License-Identifier: BSD-3-Clause
/**
 * The published package ("files" of package.json) holds what its shipped parts read at run time:
 * every repository file an example script names (`data/reference/…`) is listed, or lies in a
 * listed folder, and exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/processes.js';

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'out' || e.name === 'node_modules' ? [] : scripts(p);
    return /\.(mjs|js)$/.test(e.name) ? [p] : [];
  });
}

describe('package.json "files"', () => {
  it('ships every data file the shipped examples read', () => {
    const files: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files;
    const shipped = (path: string) => files.some((f) => path === f || path.startsWith(f.replace(/\/?$/, '/')));
    const needed = new Set<string>();
    for (const script of scripts(join(ROOT, 'examples'))) {
      for (const m of readFileSync(script, 'utf8').matchAll(/(?:\.\.\/)+(data\/[^'"`\s)]+)/g)) needed.add(m[1]!);
      expect(shipped(relative(ROOT, script))).toBe(true);
    }
    expect([...needed]).toContain('data/reference/gayberne/gb_dimer_scans.csv');
    for (const path of needed) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
      expect(shipped(path), `${path} is read by an example but not in package.json "files"`).toBe(true);
    }
    for (const f of ['dist', 'LICENSE', 'README.md', 'docs']) expect(files).toContain(f);
  });
});
