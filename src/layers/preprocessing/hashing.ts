/**
 * Keras's Hashing: strings or integers -> `numBins` buckets by FarmHash Fingerprint64 (integers
 * hashed as their decimal text, as Keras does), or SipHash-2-4 keyed by `salt` (an integer
 * means [salt, salt]); with `maskValue`, that value goes to bin 0 and the others hash into
 * bins 1..numBins-1. Bins equal Keras's (the hash is TensorFlow's, bit for bit).
 */
import { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, type ConfigValue, configNumber, configString } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { type SymbolicShape, SymbolicTensor } from '../engine/symbolic.js';
import { type CategoricalMode, encodeCategorical } from './lookup/encode.js';
import { hashBucketFast, hashBucketStrong } from './lookup/farmhash.js';
import { outputModeArg } from './lookup/index-lookup.js';
import { type FlatValues, flattenArray, flattenNumbers, isStringArray, type LookupInput } from './lookup/string-batch.js';

export interface HashingArgs extends LayerArgs {
  numBins: number;
  maskValue?: string | number | null;
  salt?: number | readonly [number, number] | null;
  outputMode?: 'int' | CategoricalMode;
  sparse?: boolean;
}

export class Hashing extends Layer {
  static override readonly className: string = 'Hashing';
  readonly numBins: number;
  readonly maskValue: string | number | null;
  readonly salt: [number, number] | null;
  readonly outputMode: 'int' | CategoricalMode;

  constructor(args: HashingArgs) {
    super(args);
    const who = `Hashing "${this.name}"`;
    if (!args || !Number.isInteger(args.numBins) || args.numBins <= 0) {
      throw new Error(`${who}: \`num_bins\` cannot be None or non-positive values. Received: num_bins=${args?.numBins}.`);
    }
    this.numBins = args.numBins;
    this.maskValue = args.maskValue ?? null;
    const salt = args.salt ?? null;
    if (
      salt !== null &&
      !(Number.isInteger(salt) || (Array.isArray(salt) && salt.length === 2 && salt.every(Number.isInteger)))
    ) {
      throw new Error(`${who}: \`salt\` must be an integer or a list of two integers. Received: salt=${JSON.stringify(salt)}.`);
    }
    this.salt = salt === null ? null : typeof salt === 'number' ? [salt, salt] : [salt[0], salt[1]];
    this.outputMode = outputModeArg(args.outputMode ?? 'int', who, ['int', 'one_hot', 'multi_hot', 'count']) as
      | 'int'
      | CategoricalMode;
    if (args.sparse) throw new Error(`${who}: \`sparse=true\` is not supported: capa has no sparse tensors.`);
  }

  /** The bin of one value. */
  hashValue(value: string | number): number {
    if (this.maskValue !== null && value === this.maskValue) return 0;
    const text = typeof value === 'number' ? String(value) : value;
    const buckets = this.maskValue !== null ? this.numBins - 1 : this.numBins;
    const bin = this.salt
      ? hashBucketStrong(text, buckets, [BigInt.asUintN(64, BigInt(this.salt[0])), BigInt.asUintN(64, BigInt(this.salt[1]))])
      : hashBucketFast(text, buckets);
    return this.maskValue !== null ? bin + 1 : bin;
  }

  private hashFlat(flat: FlatValues<string | number>): Tensor {
    const ids = Int32Array.from(flat.values, (v) => {
      if (typeof v === 'number' && !Number.isInteger(v))
        throw new Error(`Hashing "${this.name}": hashes strings or integers, received ${v}.`);
      return this.hashValue(v);
    });
    if (this.outputMode === 'int') return new Tensor(ids, flat.shape);
    return encodeCategorical(ids, flat.shape, this.outputMode, this.numBins, `Hashing "${this.name}"`);
  }

  override apply(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[] | LookupInput, args?: CallArgs): Tensor;
  override apply(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] | LookupInput,
    args: CallArgs = {},
  ): Tensor | SymbolicTensor {
    if (isStringArray(inputs))
      return this.hashFlat(flattenArray(inputs, `Hashing "${this.name}"`, (v): v is string => typeof v === 'string'));
    if (Array.isArray(inputs) && !(inputs[0] instanceof Tensor) && !(inputs[0] instanceof SymbolicTensor)) {
      return this.hashFlat(flattenNumbers(inputs, `Hashing "${this.name}"`));
    }
    return super.apply(inputs as Tensor, args);
  }

  override call(input: Tensor): Tensor {
    return this.hashFlat(flattenNumbers(input, `Hashing "${this.name}"`));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (this.outputMode === 'int') return inputShape.slice();
    if (this.outputMode === 'one_hot') {
      const keep =
        inputShape.length > 1 && inputShape[inputShape.length - 1] === 1 ? inputShape.slice(0, -1) : inputShape.slice();
      return [...keep, this.numBins];
    }
    return [...inputShape.slice(0, -1), this.numBins];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      num_bins: this.numBins,
      salt: this.salt ? (this.salt.slice() as ConfigValue) : null,
      mask_value: this.maskValue,
      output_mode: this.outputMode,
      sparse: false,
    };
  }

  static override fromConfig(config: ConfigDict): Hashing {
    const owner = 'Hashing.fromConfig';
    const salt = config.salt;
    const mask = config.mask_value;
    return new Hashing({
      ...baseArgsFromConfig(config, owner),
      numBins: configNumber(config, 'num_bins', owner),
      salt: typeof salt === 'number' ? salt : Array.isArray(salt) ? (salt as [number, number]) : null,
      maskValue: typeof mask === 'string' || typeof mask === 'number' ? mask : null,
      outputMode: configString(config, 'output_mode', owner, 'int') as 'int' | CategoricalMode,
    });
  }
}
