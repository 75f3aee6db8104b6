/** Helpers around the base layer's options: the declared input shape and the base config fields. */
import { type ConfigDict, configBoolean, configShape, configString, isConfigDict } from './config.js';
import { checkComputeDtype } from './dtypes.js';
import type { LayerArgs } from './layer.js';
import type { SymbolicShape } from './symbolic.js';

/** Keras 3's serialized dtype policy for float32. */
export function dtypePolicyConfig(): ConfigDict {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
}

export function declaredBatchShape(args: LayerArgs, name: string): SymbolicShape | null {
  if (args.batchInputShape) return args.batchInputShape.slice();
  if (args.inputShape) {
    if (!Array.isArray(args.inputShape)) {
      throw new Error(
        `Layer "${name}": 'inputShape' must be an array such as [28, 28, 1], received ${JSON.stringify(args.inputShape)}.`,
      );
    }
    return [args.batchSize ?? null, ...args.inputShape];
  }
  if (args.inputDim !== undefined) {
    if (!Number.isInteger(args.inputDim) || args.inputDim <= 0) {
      throw new Error(`Layer "${name}": 'inputDim' must be a positive integer, received ${args.inputDim}.`);
    }
    return [args.batchSize ?? null, args.inputDim];
  }
  return null;
}

/** The base options stored in every layer config (name, trainable, declared input shape). */
export function baseArgsFromConfig(config: ConfigDict, owner: string): LayerArgs {
  const args: LayerArgs = {};
  if (config.name !== undefined) args.name = configString(config, 'name', owner);
  args.trainable = configBoolean(config, 'trainable', owner, true);
  const batchShape = configShape(config, 'batch_input_shape', owner) ?? configShape(config, 'batch_shape', owner);
  if (batchShape) args.batchInputShape = batchShape;
  const dtype = config.dtype;
  const dtypeName =
    typeof dtype === 'string' ? dtype : isConfigDict(dtype) && isConfigDict(dtype.config) ? dtype.config.name : null;
  checkComputeDtype(dtypeName, owner);
  return args;
}
