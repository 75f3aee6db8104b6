/** Reads the PyTorch oracle fixtures written by tools/gen_op_fixtures.py. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpCase } from './fixture-cases.js';

export { type FixtureArray, lossOf, type OpCase, toTensor } from './fixture-cases.js';

const dir = fileURLToPath(new URL('../fixtures/ops/', import.meta.url));

export function loadFamilies(): { family: string; cases: OpCase[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      family: f.replace(/\.json$/, ''),
      cases: (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cases: OpCase[] }).cases,
    }));
}
