// SPDX-License-Identifier: BSD-3-Clause
/** Registry entry of the identity mapping (`identity.ts`): sites are the particles. */
import { z } from 'zod';
import { IdentityMapping } from './identity.js';
import { defineMapping } from './mapping-entry.js';

/** `{ "kind": "identity" }`: no parameters. */
export const identityMappingSchema = z.strictObject({ kind: z.literal('identity') });

/** The identity mapping as a registry member. */
export const identityMappingEntry = defineMapping({
  kind: 'identity',
  schema: identityMappingSchema,
  create: () => new IdentityMapping(),
});
