// SPDX-License-Identifier: BSD-3-Clause
/**
 * The JSON Schema of the driver configuration, generated from the zod schema (the single source
 * of truth). `schema/driver.schema.json` is this output; a test checks it is up to date.
 */
import { z } from 'zod';
import { DriverConfigSchema } from './schema.js';
import { moleculeJsonSchema } from './molecule-schema.js';
import { trainJsonSchema } from './train-schema.js';

/** The driver configuration's JSON Schema (draft 2020-12), as pretty-printed JSON text. */
export function driverJsonSchema(): string {
  const schema = z.toJSONSchema(DriverConfigSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ title: 'anisodrive driver configuration', ...schema }, null, 2) + '\n';
}

// `npm run schema` regenerates schema/driver.schema.json, schema/train.schema.json and schema/molecule.schema.json.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { writeFileSync } = await import('node:fs');
  for (const [name, text] of [['driver', driverJsonSchema()], ['train', trainJsonSchema()], ['molecule', moleculeJsonSchema()]] as const) {
    const out = new URL(`../../../schema/${name}.schema.json`, import.meta.url);
    writeFileSync(out, text);
    process.stdout.write(`wrote ${out.pathname}\n`);
  }
}
