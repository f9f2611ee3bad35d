// SPDX-License-Identifier: BSD-3-Clause
/**
 * The `featurize` hyper-parameter flags come from the AniSOAP schema: one flag per schema field
 * (species aside), descriptions, units, choices and defaults from the schema, validation by it with
 * the flag named in the message.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ANISOAP_HYPER_FIELDS, AniSoapHypersSchema } from '../../src/features/anisoap/hypers-schema.js';
import { ANISOAP_FLAGS, addAniSoapFlags, aniSoapOptions, hypersFromFlags } from '../../plugin/commands/featurize-flags.js';
import { expectCode } from '../support/assertions.js';

/** Parse `argv` with the flags alone; returns commander's option values. */
function parse(argv: string[]): Record<string, unknown> {
  const cmd = addAniSoapFlags(new Command('featurize').exitOverride().configureOutput({ writeErr: () => undefined }));
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

describe('featurize flags', () => {
  it('cover every hyper-parameter but species, once', () => {
    const keys = ANISOAP_FLAGS.map((f) => f.key).sort();
    expect(keys).toEqual(Object.keys(ANISOAP_HYPER_FIELDS).filter((k) => k !== 'species').sort());
  });

  it("take descriptions, units, choices and shown defaults from the schema", () => {
    const byFlag = new Map(aniSoapOptions().map((o) => [o.long, o]));
    expect(byFlag.get('--rcut')!.description).toContain(ANISOAP_HYPER_FIELDS.cutoff.description!);
    expect(byFlag.get('--rcut')!.description).toContain('[length unit of the file]');
    expect(byFlag.get('--basis')!.argChoices).toEqual(['gto', 'monomial']);
    expect(byFlag.get('--mode')!.description).toContain('(default: "package")');
    expect(byFlag.get('--lmax')!.mandatory).toBe(true);
  });

  it('leave the defaults to the schema: the same hypers as the schema fills in', () => {
    const h = hypersFromFlags(parse(['--lmax', '3', '--sigma', '1.5', '--rcut', '6']), [0]);
    expect(h).toEqual(AniSoapHypersSchema.parse({ maxAngular: 3, gaussianWidth: 1.5, cutoff: 6, species: [0] }));
    const md = hypersFromFlags(parse(['--lmax', '3', '--sigma', '1.5', '--rcut', '6', '--mode', 'md', '--no-self']), [0]);
    expect(md).toMatchObject({ mode: 'md', switchWidth: 1.5, subtractCenterContribution: true });
  });

  it('name the flag and the schema key in validation errors', () => {
    expectCode(() => hypersFromFlags(parse(['--lmax', '-1', '--sigma', '1', '--rcut', '6']), [0]), 'E_ARG', /--lmax \(maxAngular\): maxAngular = -1 must be an integer in 0…15/);
    expectCode(() => hypersFromFlags(parse(['--lmax', '2', '--rcut', 'abc', '--sigma', '1']), [0]), 'E_ARG', /--rcut \(cutoff\): cutoff = "abc" must be a finite length > 0/);
    expectCode(() => hypersFromFlags(parse(['--lmax', '2', '--rcut', '4']), [0]), 'E_ARG', /--sigma \(gaussianWidth\): radialBasis 'gto' needs gaussianWidth/);
    expect(() => parse(['--lmax', '2', '--rcut', '4', '--basis', 'dvr'])).toThrow(/Allowed choices are gto, monomial/);
  });
});
