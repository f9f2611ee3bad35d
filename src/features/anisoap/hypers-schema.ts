// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP hyper-parameters as zod schemas, built from the one table of `hypers.ts`
 * ({@link ANISOAP_HYPER_TABLE}: types, ranges, defaults, documentation, units and messages), for
 * the configurations that are validated with zod (the `train` configuration's `features` entry,
 * the feature-calculator registry) and for the JSON Schema (`describe` and `meta({ unit })` carry
 * the documentation and units). Computing features does not load this module, nor zod.
 */
import { z } from 'zod';
import {
  ANISOAP_HYPER_TABLE,
  aniSoapRuleIssues,
  fillAniSoapDefaults,
  showHyperValue,
  type AniSoapHyperKey,
  type HyperField,
  type HyperRuleInput,
} from './hypers.js';

/** The zod schema of one table field (same checks, messages, default, description and unit). */
function zodField(field: HyperField): z.ZodType {
  const error = (iss: { input?: unknown }) => field.message(iss.input);
  let base: z.ZodType;
  switch (field.kind) {
    case 'integer':
    case 'number': {
      let n = z.number({ error });
      if (field.kind === 'integer') n = n.int();
      if (field.positive === true) n = n.positive();
      if (field.min !== undefined) n = n.min(field.min);
      if (field.max !== undefined) n = n.max(field.max);
      base = field.unit ? n.meta({ unit: field.unit }) : n;
      break;
    }
    case 'enum':
      base = z.enum(field.values as [string, ...string[]], { error });
      break;
    case 'boolean':
      base = z.boolean({ error });
      break;
    case 'species':
      base = z.array(z.number({ error: (iss) => field.entryMessage!(iss.input) }).int(), { error }).min(1).readonly();
      break;
    case 'maxRadial': {
      const count = z.number({ error }).int().min(0);
      base = z.union([count, z.array(count).readonly(), z.null()], { error });
      break;
    }
  }
  if (field.optional) base = base.nullable().optional();
  if (field.fallback !== undefined) base = (base as z.ZodType & { default(v: unknown): z.ZodType }).default(field.fallback);
  return base.describe(field.description);
}

/**
 * The fields of the AniSOAP hyper-parameters as zod schemas; {@link AniSoapHypersSchema} adds the
 * cross-field rules. Exported so that configurations can pick fields (the train configuration
 * leaves out `species`, which come from the data).
 */
export const ANISOAP_HYPER_FIELDS = Object.fromEntries(
  Object.entries(ANISOAP_HYPER_TABLE).map(([k, f]) => [k, zodField(f)]),
) as Record<AniSoapHyperKey, z.ZodType> & { mode: z.ZodDefault<z.ZodEnum<{ package: 'package'; md: 'md' }>> };

/** The cross-field rules of `hypers.ts` as a zod `superRefine`. */
export function checkAniSoapHypers(h: unknown, ctx: z.RefinementCtx): void {
  for (const i of aniSoapRuleIssues(h as HyperRuleInput)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
}

/**
 * The AniSOAP hyper-parameters (see `hypers.ts`): unknown keys are rejected (so that typos such
 * as `max_angular` do not pass silently), defaults are filled in, including the `'md'` switch width.
 */
export const AniSoapHypersSchema = z
  .strictObject(ANISOAP_HYPER_FIELDS, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown hyper-parameter ${iss.keys.map((k) => `'${k}'`).join(', ')}; allowed: ${Object.keys(ANISOAP_HYPER_FIELDS).join(', ')}`
        : `hypers must be an object, got ${showHyperValue(iss.input)}`,
  })
  .superRefine(checkAniSoapHypers)
  .transform((h) => fillAniSoapDefaults(h as HyperRuleInput));
