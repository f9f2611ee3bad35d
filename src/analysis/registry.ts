// SPDX-License-Identifier: BSD-3-Clause
/**
 * The analyses `anisodrive analyze` and the analysis pipeline can compose, by kind. Each lives in
 * one module under `analyses/` exporting its `kind`, its zod `schema` (the single source of its
 * options and their defaults) and its factory, gathered as `entry`. To add one: that module, one
 * line in {@link BUILT_IN_ANALYSES}, and its test. Entries from elsewhere (a plugin, a test) are
 * added at run time with {@link registerAnalysis}, or by module URL in a pipeline's `modules`
 * (so that worker threads register them too).
 */
import { AnisoError } from '../core/errors.js';
import type { AnalysisEntry, AnalysisSpec, FrameAnalysis } from './frame-analysis.js';
import { entry as autocorrelation } from './analyses/autocorrelation.js';
import { entry as director } from './analyses/director.js';
import { entry as nematic } from './analyses/nematic.js';
import { entry as pair } from './analyses/pair-correlation.js';
import { entry as smectic } from './analyses/smectic.js';

/** The built-in analyses, in the order their columns and outputs appear. */
export const BUILT_IN_ANALYSES: readonly AnalysisEntry[] = [nematic, smectic, director, pair, autocorrelation];

const registered = new Map<string, AnalysisEntry>(BUILT_IN_ANALYSES.map((e) => [e.kind, e]));

/**
 * Add `entry` to the registry of this thread (idempotent for the same entry object).
 * @throws AnisoError `E_ARG` when another entry has its kind
 */
export function registerAnalysis(entry: AnalysisEntry): void {
  const old = registered.get(entry.kind);
  if (old === entry) return;
  if (old) throw new AnisoError('E_ARG', `analysis kind '${entry.kind}' is already registered`);
  registered.set(entry.kind, entry);
}

/** Every registered entry: the built-in ones first, then those registered, in registration order. */
export function analysisEntries(): AnalysisEntry[] {
  return [...registered.values()];
}

/**
 * The entry of `kind`.
 * @throws AnisoError `E_ARG` naming the registered kinds for an unknown one
 */
export function analysisEntry(kind: string): AnalysisEntry {
  const e = registered.get(kind);
  if (!e) throw new AnisoError('E_ARG', `unknown analysis kind '${kind}'; registered: ${[...registered.keys()].join(', ')}`);
  return e;
}

/**
 * The analysis of `spec`, its options validated (and defaulted) by the entry's schema.
 * @throws AnisoError `E_ARG` for an unknown kind or invalid options (naming the option), or from the factory
 */
export function createAnalysis(spec: AnalysisSpec): FrameAnalysis {
  const e = analysisEntry(spec.kind);
  const parsed = e.schema.safeParse(spec.options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
    throw new AnisoError('E_ARG', `analysis '${spec.kind}': ${issues}`);
  }
  return e.create(parsed.data, spec.name ?? spec.kind);
}

/**
 * Import ES modules that export `entry` (an {@link AnalysisEntry}) and register them in this thread.
 * @throws AnisoError `E_ARG` for a module without an `entry`, `E_IO` for one that cannot be loaded
 */
export async function loadAnalysisModules(urls: readonly string[]): Promise<void> {
  for (const url of urls) {
    let mod: { entry?: AnalysisEntry };
    try {
      mod = (await import(url)) as { entry?: AnalysisEntry };
    } catch (err) {
      throw new AnisoError('E_IO', `cannot load analysis module ${url}: ${(err as Error).message}`);
    }
    if (!mod.entry || typeof mod.entry.kind !== 'string' || typeof mod.entry.create !== 'function') {
      throw new AnisoError('E_ARG', `analysis module ${url} exports no 'entry' (kind, schema, create)`);
    }
    registerAnalysis(mod.entry);
  }
}
