// SPDX-License-Identifier: BSD-3-Clause
/**
 * Reading and validating configuration files: every failure becomes one `AnisoError('E_CONFIG')`
 * whose message names the file, the JSON path of the bad value, the value and what is allowed.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { AnisoError } from '../../src/core/errors.js';

function describeValue(root: unknown, path: readonly PropertyKey[]): string {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return '';
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  if (v === undefined) return '';
  const text = JSON.stringify(v);
  return text === undefined ? '' : ` (got ${text.length > 60 ? text.slice(0, 57) + '...' : text})`;
}

/**
 * The issues with every `invalid_union` replaced by the issues of the one branch that matched the
 * value's own type (an entry or a list of entries), so that messages name the bad field instead of
 * "invalid input"; a value of neither type gets the first branch's issues; unions where several
 * branches fit are kept as they are.
 */
function unionBranchIssues(issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[] = []): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const fitting = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
      // One branch fits the value's type: its issues. None does (the value is of neither type): the
      // first branch's, which name the primary form (an entry rather than a list of entries).
      const chosen = fitting.length === 1 ? fitting[0]! : fitting.length === 0 ? issue.errors[0]! : null;
      if (chosen) {
        out.push(...unionBranchIssues(chosen, path));
        continue;
      }
    }
    out.push({ ...issue, path });
  }
  return out;
}

/** Validate `data` against `schema`; `source` names the file in messages. */
export function validate<S extends z.ZodType>(schema: S, data: unknown, source: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const lines = unionBranchIssues(parsed.error.issues).map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    return `  ${where}: ${issue.message}${describeValue(data, issue.path)}`;
  });
  throw new AnisoError('E_CONFIG', `invalid configuration in ${source}:\n${lines.join('\n')}`);
}

/** Read a JSON file and validate it. Throws `E_CONFIG` for unreadable files, bad JSON or bad values. */
export function loadJsonConfig<S extends z.ZodType>(schema: S, file: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AnisoError('E_CONFIG', `cannot read configuration file ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AnisoError('E_CONFIG', `configuration file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return validate(schema, data, file);
}
