// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP flags of `anisodrive featurize`, derived from the hyper-parameter schema
 * (`src/features/anisoap/hypers.ts`): this table only maps a flag to a schema key; descriptions,
 * units, choices, defaults and validation come from the schema. Light (zod only), so that the
 * command line can build its help without loading the calculator.
 */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { AnisoError } from '../../src/core/errors.js';
import { ANISOAP_HYPER_FIELDS, AniSoapHypersSchema, type AniSoapHypers } from '../../src/features/anisoap/hypers.js';

type HyperKey = keyof typeof ANISOAP_HYPER_FIELDS;

/** Flag → schema key (`invert`: a `--no-x` flag whose value is the negation). Every hyper-parameter but `species` (the file's). */
export const ANISOAP_FLAGS: readonly { flag: string; key: HyperKey; required?: boolean; invert?: boolean }[] = Object.freeze([
  { flag: '--lmax <L>', key: 'maxAngular', required: true },
  { flag: '--nmax <N>', key: 'maxRadial' },
  { flag: '--sigma <S>', key: 'gaussianWidth' },
  { flag: '--rcut <R>', key: 'cutoff', required: true },
  { flag: '--no-self', key: 'subtractCenterContribution', invert: true },
  { flag: '--basis <basis>', key: 'radialBasis' },
  { flag: '--mode <mode>', key: 'mode' },
  { flag: '--switch-width <w>', key: 'switchWidth' },
  { flag: '--basis-rcond <x>', key: 'basisRcond' },
  { flag: '--basis-tol <x>', key: 'basisTol' },
]);

/** A field and the schemas it wraps (`default`, `optional`, `nullable`), outermost first. */
function layers(field: z.ZodType): z.ZodType[] {
  const out: z.ZodType[] = [field];
  let f: z.ZodType = field;
  while (f instanceof z.ZodDefault || f instanceof z.ZodOptional || f instanceof z.ZodNullable) out.push((f = f.unwrap() as z.ZodType));
  return out;
}

/** The enum values of a field, or null. */
function choicesOf(field: z.ZodType): string[] | null {
  const f = layers(field).at(-1);
  return f instanceof z.ZodEnum ? (f.options as string[]) : null;
}

/** The `unit` metadata of a field (on any layer), if any. */
function unitOf(field: z.ZodType): string | undefined {
  for (const f of layers(field)) {
    const unit = (z.globalRegistry.get(f) as { unit?: string } | undefined)?.unit;
    if (unit) return unit;
  }
  return undefined;
}

/** The commander options of {@link ANISOAP_FLAGS}, with the schema's descriptions, units, choices and defaults. */
export function aniSoapOptions(): Option[] {
  return ANISOAP_FLAGS.map(({ flag, key, required, invert }) => {
    const field = ANISOAP_HYPER_FIELDS[key] as z.ZodType;
    const unit = unitOf(field);
    const fallback = field.safeParse(undefined);
    const shown = !invert && fallback.success && fallback.data !== undefined ? ` (default: ${JSON.stringify(fallback.data)})` : '';
    const description = `${key}: ${field.description ?? ''}${unit ? ` [${unit} unit of the file]` : ''}${invert ? ' (sets it true)' : shown}`;
    const option = new Option(flag, description);
    const choices = choicesOf(field);
    if (choices) option.choices(choices);
    else if (!invert) option.argParser((v: string) => (Number.isNaN(Number(v)) ? v : Number(v)));
    if (required) option.makeOptionMandatory();
    return option;
  });
}

/** Add the AniSOAP flags to `command`. */
export function addAniSoapFlags(command: Command): Command {
  for (const option of aniSoapOptions()) command.addOption(option);
  return command;
}

/**
 * The hypers given by parsed flags (commander's option values) and the file's species, validated
 * and completed by the schema.
 * @throws AnisoError `E_ARG` naming the flag and the schema's message
 */
export function hypersFromFlags(options: Record<string, unknown>, species: readonly number[]): AniSoapHypers {
  const input: Record<string, unknown> = { species };
  const flagOf = new Map<string, string>();
  for (const { flag, key, invert } of ANISOAP_FLAGS) {
    const name = new Option(flag).attributeName();
    flagOf.set(key, flag.split(' ')[0]!);
    const v = options[name];
    if (v === undefined) continue;
    input[key] = invert ? !v : v;
  }
  const parsed = AniSoapHypersSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return flagOf.has(key) ? `${flagOf.get(key)} (${key}): ${i.message}` : i.message;
    });
    throw new AnisoError('E_ARG', `featurize: ${lines.join('; ')}`);
  }
  return parsed.data as AniSoapHypers;
}
