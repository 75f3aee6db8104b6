/**
 * Keras's IntegerLookup: integers -> indices (OOV value -1 at index 0 by default), with `adapt`,
 * `invert` and the categorical output modes. Takes a Tensor (so it works inside a model on an
 * integer Input) or number arrays.
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict, ConfigValue } from '../engine/config.js';
import { baseArgsFromConfig } from '../engine/layer.js';
import { IndexLookup, type IndexLookupArgs, lookupArgsFromConfig } from './lookup/index-lookup.js';
import { type FlatValues, flattenNumbers } from './lookup/string-batch.js';

export type IntegerLookupArgs = IndexLookupArgs<number>;

export class IntegerLookup extends IndexLookup<number> {
  static override readonly className: string = 'IntegerLookup';

  constructor(args: IntegerLookupArgs = {}) {
    super(args, { maskToken: null, oovToken: -1 });
    for (const v of this.inputVocabulary ?? []) {
      if (!Number.isInteger(v)) throw new Error(`${this.who}: the vocabulary must hold integers, received ${v}.`);
    }
  }

  protected flatten(input: unknown): FlatValues<number> {
    const flat = flattenNumbers(input as Tensor, this.who);
    for (const v of flat.values) {
      if (!Number.isInteger(v)) throw new Error(`${this.who}: expects integer values, received ${v}.`);
    }
    return flat;
  }

  protected parseToken(line: string): number {
    const v = Number(line);
    if (!Number.isInteger(v)) throw new Error(`${this.who}: vocabulary line ${JSON.stringify(line)} is not an integer.`);
    return v;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), vocabulary_dtype: 'int64' };
  }

  static override fromConfig(config: ConfigDict): IntegerLookup {
    const owner = 'IntegerLookup.fromConfig';
    const token = (v: ConfigValue): number | null => (v === null ? null : Number(v));
    return new IntegerLookup({ ...baseArgsFromConfig(config, owner), ...lookupArgsFromConfig(config, owner, token) });
  }
}
