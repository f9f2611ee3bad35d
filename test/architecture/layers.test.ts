// SPDX-License-Identifier: BSD-3-Clause
/**
 * The layering rule of `src/` (see `layers.ts`): no upward or sibling import, no cycle, nothing
 * outside `src/`. The fixtures are small trees built to break each rule, so the checker is shown
 * to fail where it must.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLayering, formatViolations, importsOf } from './layers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('layering of src/', () => {
  it('every import under src/ flows toward core/, without cycles', () => {
    const v = checkLayering(ROOT);
    expect(formatViolations(v)).toBe('');
  });

  it('fails on an upward import, naming the file and line', () => {
    const v = checkLayering(fixture('upward'));
    expect(formatViolations(v)).toBe("src/core/geometry.ts:4  upward import: core/ (rank 0) imports features/ (rank 4) through '../features/density.js'");
  });

  it('fails on a sibling import', () => {
    const v = checkLayering(fixture('sibling'));
    expect(v).toHaveLength(1);
    expect(v[0]!.file).toBe('src/io/reader.ts');
    expect(v[0]!.line).toBe(3);
    expect(v[0]!.message).toMatch(/sibling import: io\/ and protocol\/ share rank 3/);
  });

  it('fails on a cycle, type-only imports included', () => {
    const v = checkLayering(fixture('cycle'));
    expect(formatViolations(v)).toBe('src/io/b.ts:2  import cycle: src/io/a.ts → src/io/b.ts → src/io/a.ts');
  });

  it('reads static, type-only, re-export and dynamic imports, and skips comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      '// import { d } from "./d.js";',
      "/* import { e } from './e.js'; */",
      "const f = await import('./f.js');",
      "import './g.js';",
      "import { h } from 'node:fs';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { spec: './a.js', line: 1 },
      { spec: '../b.js', line: 2 },
      { spec: './c.js', line: 3 },
      { spec: './f.js', line: 6 },
      { spec: './g.js', line: 7 },
    ]);
  });
});
