import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNotebook } from '../../examples/01-redes-profundas.js';

describe('examples/01-redes-profundas (the user notebook)', () => {
  it('prints every summary and shape the notebook shows, byte for byte', () => {
    const expected = readFileSync(new URL('../fixtures/models/notebook-example.txt', import.meta.url), 'utf8');
    const lines: string[] = [];
    runNotebook((line) => lines.push(line));
    expect(`${lines.join('\n')}\n`).toBe(expected);
    // The acceptance numbers, spelled out.
    for (const total of ['101', '10,201', '11,110', '260,160', '20,024,384', '122,788,928', '143,667,240']) {
      expect(lines).toContain(`Total params: ${total}`);
    }
    expect(lines).toContain('(1, 56, 56, 128)');
    expect(lines).toContain('(None, 7, 7, 512)');
    expect(lines).toContain('True');
  });
});
