/** Loads the JSON fixtures written by tools/gen_transform_fixtures.py and tools/gen_image_io_fixtures.py. */
import { readFileSync } from 'node:fs';

const dir = new URL('../fixtures/data/', import.meta.url);

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as T;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= worst)) worst = d;
  }
  return worst;
}
