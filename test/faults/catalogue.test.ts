// SPDX-License-Identifier: BSD-3-Clause
/**
 * docs/FAULTS.md and the fault suite stay one list: every row F01…Fnn (≥ 40, numbered without
 * gaps) has a test whose name starts with its number in a file its section names, and every
 * numbered test in those files has its row. The count in the document's introduction is the
 * number of rows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/processes.js';

const DOC = readFileSync(join(ROOT, 'docs/FAULTS.md'), 'utf8');

/** Rows of the document: number, and the test files named in the heading of their section. */
function rows(): { id: string; files: string[] }[] {
  const out: { id: string; files: string[] }[] = [];
  let files: string[] = [];
  for (const line of DOC.split('\n')) {
    if (line.startsWith('## ')) files = [...line.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1]!);
    const row = /^\| (F\d{2}) \|/.exec(line);
    if (row) out.push({ id: row[1]!, files });
  }
  return out;
}

/** The numbers that test titles in `file` start with (`it('F07 …'`, `` it(`F77 (${cmd}) …` ``). */
function testIds(file: string): Set<string> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return new Set([...text.matchAll(/\bit(?:\.runIf\([^)]*\))?\(\s*['"`](F\d{2})[ (:]/g)].map((m) => m[1]!));
}

describe('docs/FAULTS.md ⇄ the fault suite', () => {
  const all = rows();

  it('has at least 40 scenarios, F01…Fnn without gaps or repeats, and says how many', () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
    const ids = all.map((r) => Number(r.id.slice(1))).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(DOC).toContain(`There are **${all.length} scenarios**, F01–F${String(all.length).padStart(2, '0')}`);
    expect(DOC).not.toMatch(/still being written/);
  });

  it('every row has a test named by its number in a file its section names', () => {
    const missing: string[] = [];
    for (const { id, files } of all) {
      expect(files.length, `${id}: its section names no test file`).toBeGreaterThan(0);
      for (const f of files) expect(existsSync(join(ROOT, f)), f).toBe(true);
      if (!files.some((f) => testIds(f).has(id))) missing.push(`${id} (in ${files.join(', ')})`);
    }
    expect(missing).toEqual([]);
  });

  it('every numbered test in those files has its row', () => {
    const documented = new Set(all.map((r) => r.id));
    const files = new Set(all.flatMap((r) => r.files));
    const orphans = [...files].flatMap((f) => [...testIds(f)].filter((id) => !documented.has(id)).map((id) => `${id} in ${f}`));
    expect(orphans).toEqual([]);
  });
});
