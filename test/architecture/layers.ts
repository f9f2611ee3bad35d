// SPDX-License-Identifier: BSD-3-Clause
/**
 * The layers of `src/` and the checker that keeps imports flowing one way (toward `core/`).
 *
 * {@link LAYERS} is the single statement of the order: a folder may import its own files and the
 * folders of lower ranks, never a folder of the same rank or above. Folders of one rank are
 * siblings that know nothing of each other. The checker also refuses import cycles between files
 * (type-only imports included: a cycle of types is still a knot a maintainer must untie) and
 * imports that leave `src/` (the library never reaches into `plugin/`, `bench/` or `test/`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Folders of `src/` by rank, lowest first; one inner array per rank. */
export const LAYERS: readonly (readonly string[])[] = [
  ['core'], // cell, units, quaternions, neighbour lists, small shared math (eigen, RNG, switch)
  ['parallel'], // worker-thread pools
  ['kernels'], // kernel IR, emitters (JavaScript; GPU beside it), backend choice
  ['io', 'protocol', 'mapping'], // files, the i-PI wire, sites ⇄ ellipsoids
  ['potentials', 'features'], // analytic force fields; density expansions and their contractions
  ['models', 'datasets'], // trained models on features; generated training data
  ['analysis'], // order parameters, pair correlations, trajectory analysis
  ['engine'], // the embedded MD engine
  ['monitor'], // live stream of a run
];

/** One broken rule, with where it is. */
export interface LayerViolation {
  /** Path relative to the checked root, `src/…`. */
  readonly file: string;
  /** 1-based line of the import (the first file's for a cycle). */
  readonly line: number;
  /** What is wrong, naming both ends. */
  readonly message: string;
}

const RANK = new Map<string, number>();
LAYERS.forEach((names, rank) => names.forEach((n) => RANK.set(n, rank)));

function listTs(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listTs(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative import specifiers of a source text with their 1-based lines (static, re-exports, dynamic). */
export function importsOf(text: string): Array<{ spec: string; line: number }> {
  const out: Array<{ spec: string; line: number }> = [];
  const re = /(?:^|[\s;}])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  // Strip comments first, keeping line breaks so that line numbers stay right.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '');
  for (let m = re.exec(code); m !== null; m = re.exec(code)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (!spec.startsWith('.')) continue;
    const at = m.index + m[0].lastIndexOf(spec);
    out.push({ spec, line: code.slice(0, at).split('\n').length });
  }
  return out;
}

/** The layer folder of a path under `srcDir`, or null for a file directly in `src/`. */
function layerOf(srcDir: string, file: string): string | null {
  const rel = relative(srcDir, file).split(sep);
  return rel.length > 1 ? rel[0]! : null;
}

/**
 * Check every `.ts` file under `root/src`: returns the violations, empty when the tree is clean.
 * Specifiers name the compiled `.js`; they are mapped back to the `.ts` source.
 */
export function checkLayering(root: string): LayerViolation[] {
  const srcDir = resolve(root, 'src');
  const files = listTs(srcDir);
  const known = new Set(files);
  const violations: LayerViolation[] = [];
  const graph = new Map<string, Array<{ to: string; line: number }>>();
  const show = (f: string) => relative(root, f).split(sep).join('/');
  for (const file of files) {
    const from = layerOf(srcDir, file);
    const edges: Array<{ to: string; line: number }> = [];
    graph.set(file, edges);
    if (from !== null && !RANK.has(from)) {
      violations.push({ file: show(file), line: 1, message: `folder src/${from}/ is not in LAYERS (test/architecture/layers.ts); add it at its rank` });
      continue;
    }
    for (const { spec, line } of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (!target.startsWith(srcDir + sep)) {
        violations.push({ file: show(file), line, message: `imports '${spec}', outside src/ (the library must not depend on ${show(target)})` });
        continue;
      }
      if (known.has(target)) edges.push({ to: target, line });
      const to = layerOf(srcDir, target);
      if (from === null || to === null || to === from) continue;
      const rf = RANK.get(from)!, rt = RANK.get(to);
      if (rt === undefined) continue; // reported for the target's own files
      if (rt > rf) violations.push({ file: show(file), line, message: `upward import: ${from}/ (rank ${rf}) imports ${to}/ (rank ${rt}) through '${spec}'` });
      else if (rt === rf) violations.push({ file: show(file), line, message: `sibling import: ${from}/ and ${to}/ share rank ${rf} and must not import each other ('${spec}')` });
    }
  }
  // Cycles between files: depth-first search, each cycle reported once from its first file.
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 1);
    stack.push(f);
    for (const { to, line } of graph.get(f) ?? []) {
      const s = state.get(to);
      if (s === 1) {
        const cycle = stack.slice(stack.indexOf(to));
        violations.push({ file: show(f), line, message: `import cycle: ${[...cycle, to].map(show).join(' → ')}` });
      } else if (s === undefined) visit(to);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return violations;
}

/** One line per violation, `file:line  message`. */
export function formatViolations(v: readonly LayerViolation[]): string {
  return v.map((x) => `${x.file}:${x.line}  ${x.message}`).join('\n');
}
