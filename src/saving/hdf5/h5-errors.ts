import { describeError } from '../errors.js';

/**
 * HDF5's thrown errors carry the whole library stack ("#000: .../H5F.c line 821 in H5Fopen():
 * unable to ..."). Keep the outermost and innermost reasons, which say what failed and why.
 */
export function summarizeHdf5Error(error: unknown): string {
  const text = describeError(error);
  const reasons = [...text.matchAll(/ in [\w.]+\(\): ([^\n]+)/g)].map((match) => match[1]!.trim());
  if (reasons.length === 0) return text.split('\n')[0] ?? text;
  const first = reasons[0]!;
  const last = reasons[reasons.length - 1]!;
  return first === last ? first : `${first} (${last})`;
}
