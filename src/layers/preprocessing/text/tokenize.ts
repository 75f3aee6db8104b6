/**
 * TextVectorization's string pipeline, as Keras runs it with tf.strings: standardize (ASCII
 * lowercasing, as `tf.strings.lower` without an encoding; then deleting Keras's punctuation
 * class), split (runs of ASCII whitespace, as `tf.strings.split`; or Unicode characters), then
 * n-grams joined by one space, all 1-grams first, then all 2-grams, ... (`tf.strings.ngrams`).
 */

export type StandardizeName = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation';
export type StandardizeArg = StandardizeName | null | ((text: string) => string);
export type SplitArg = 'whitespace' | 'character' | null | ((text: string) => string[]);

/** Keras's DEFAULT_STRIP_REGEX: !"#$%&()*+,-./:;<=>?@[\]^_`{|}~' */
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_RUNS = /([\u0080-\uffff]+)/;
const ASCII_WHITESPACE = /[ \t\n\v\f\r]+/;

/** ASCII lowercasing (TensorFlow's `tf.strings.lower` without an encoding leaves other letters alone). */
function lowerAscii(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  const parts = text.split(NON_ASCII_RUNS);
  for (let i = 0; i < parts.length; i += 2) parts[i] = (parts[i] as string).toLowerCase();
  return parts.join('');
}

export function standardizeText(text: string, standardize: StandardizeArg): string {
  if (standardize === null) return text;
  if (typeof standardize === 'function') return standardize(text);
  let out = text;
  if (standardize !== 'strip_punctuation') out = lowerAscii(out);
  if (standardize !== 'lower') out = out.replace(PUNCTUATION, '');
  return out;
}

/** standardize then split; a `standardize` function must return a string. */
export function standardizeAndSplit(text: string, standardize: StandardizeArg, split: SplitArg): string[] {
  const standardized = standardizeText(text, standardize);
  if (typeof standardized !== 'string') throw new Error('the `standardize` function must return a string.');
  return splitText(standardized, split);
}

export function splitText(text: string, split: SplitArg): string[] {
  if (split === null) return [text];
  if (typeof split === 'function') return split(text);
  if (split === 'character') return Array.from(text);
  const parts = text.split(ASCII_WHITESPACE);
  // leading/trailing whitespace leaves an empty first/last piece, which tf.strings.split drops
  let start = 0;
  let end = parts.length;
  if (parts[0] === '') start = 1;
  if (end > start && parts[end - 1] === '') end -= 1;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}

/** The n-grams of `tokens` for each width in `widths`, width by width. */
export function ngramTokens(tokens: string[], widths: readonly number[] | null): string[] {
  if (widths === null) return tokens;
  const out: string[] = [];
  for (const n of widths) {
    if (n === 1) {
      for (const t of tokens) out.push(t);
      continue;
    }
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}
