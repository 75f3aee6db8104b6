/**
 * Keras's StringLookup: strings -> indices (OOV '[UNK]' at index 0, or after the mask token when
 * one is set), with `adapt`, `invert` and the categorical output modes. Strings come in as
 * `string[]` / `string[][]` (capa tensors hold numbers only).
 */
import type { ConfigDict, ConfigValue } from '../engine/config.js';
import { baseArgsFromConfig } from '../engine/layer.js';
import { IndexLookup, type IndexLookupArgs, lookupArgsFromConfig } from './lookup/index-lookup.js';
import { type FlatValues, flattenArray, isString } from './lookup/string-batch.js';

export type StringLookupArgs = IndexLookupArgs<string> & { encoding?: 'utf-8' };

export class StringLookup extends IndexLookup<string> {
  static override readonly className: string = 'StringLookup';

  constructor(args: StringLookupArgs = {}) {
    super(args, { maskToken: null, oovToken: '[UNK]' });
    if (args.encoding !== undefined && args.encoding.toLowerCase().replace('_', '-') !== 'utf-8') {
      throw new Error(`${this.who}: only the 'utf-8' encoding is supported, received ${JSON.stringify(args.encoding)}.`);
    }
  }

  protected flatten(input: unknown): FlatValues<string> {
    if (!Array.isArray(input)) {
      throw new Error(`${this.who}: expects strings as an array (string[] or string[][]); capa tensors hold numbers only.`);
    }
    return flattenArray(input as string[], this.who, isString);
  }

  protected parseToken(line: string): string {
    return line;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), vocabulary_dtype: 'string', encoding: 'utf-8' };
  }

  static override fromConfig(config: ConfigDict): StringLookup {
    const owner = 'StringLookup.fromConfig';
    const token = (v: ConfigValue): string | null => (v === null ? null : String(v));
    return new StringLookup({ ...baseArgsFromConfig(config, owner), ...lookupArgsFromConfig(config, owner, token) });
  }
}
