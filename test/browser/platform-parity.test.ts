/**
 * Every platform module has a browser twin and a Node twin exporting the same names with values
 * of the same kinds, so code importing `#platform/<name>` works under either package.json
 * condition (a name missing from one side would only fail in that runtime).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../src/platform/', import.meta.url));
const modules = (side: string) =>
  readdirSync(`${root}${side}`)
    .filter((f) => f.endsWith('.ts'))
    .sort();

describe('platform modules (src/platform)', () => {
  it('the browser and Node folders hold the same modules', () => {
    expect(modules('browser')).toEqual(modules('node'));
    expect(modules('node').length).toBeGreaterThan(0);
  });

  for (const file of modules('node')) {
    it(`${file}: both twins export the same names, of the same kinds`, async () => {
      const node = (await import(`${root}node/${file}`)) as Record<string, unknown>;
      const browser = (await import(`${root}browser/${file}`)) as Record<string, unknown>;
      const kinds = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v]));
      expect(kinds(browser)).toEqual(kinds(node));
    });
  }
});
