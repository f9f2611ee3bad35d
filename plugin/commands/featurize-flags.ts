// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP flags of `anisodrive featurize`, derived from the hyper-parameter table
 * (`src/features/anisoap/hypers.ts`): this table only maps a flag to a hyper-parameter;
 * descriptions, units, choices, defaults and validation come from the hyper-parameter table.
 * Light (no schema library), so that the command line builds its help and starts without loading
 * the calculator or zod.
 */
import { Option, type Command } from 'commander';
import { AnisoError } from '../../src/core/errors.js';
import { ANISOAP_HYPER_TABLE, parseAniSoapHypers, type AniSoapHyperKey, type AniSoapHypers } from '../../src/features/anisoap/hypers.js';

type HyperKey = AniSoapHyperKey;

/** Flag → hyper-parameter (`invert`: a `--no-x` flag whose value is the negation). Every hyper-parameter but `species` (the file's). */
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

/** The commander options of {@link ANISOAP_FLAGS}, with the table's descriptions, units, choices and defaults. */
export function aniSoapOptions(): Option[] {
  return ANISOAP_FLAGS.map(({ flag, key, required, invert }) => {
    const field = ANISOAP_HYPER_TABLE[key];
    const shown = !invert && field.fallback !== undefined ? ` (default: ${JSON.stringify(field.fallback)})` : '';
    const description = `${key}: ${field.description}${field.unit ? ` [${field.unit} unit of the file]` : ''}${invert ? ' (sets it true)' : shown}`;
    const option = new Option(flag, description);
    if (field.kind === 'enum') option.choices(field.values!);
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
 * and completed by the hyper-parameter table.
 * @throws AnisoError `E_ARG` naming the flag and the table's message
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
  const parsed = parseAniSoapHypers(input);
  if (parsed.value === null) {
    const lines = parsed.issues.map((i) => (flagOf.has(i.path) ? `${flagOf.get(i.path)} (${i.path}): ${i.message}` : i.message));
    throw new AnisoError('E_ARG', `featurize: ${lines.join('; ')}`);
  }
  return parsed.value;
}
