/**
 * InputLayer and `Input(...)`: the entry points of a model graph. An InputLayer owns one node
 * with no inbound layers and one SymbolicTensor, the placeholder that `Input` returns.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configBoolean, configShape, configString } from '../engine/config.js';
import { checkInputDtype, type InputDType, storageDtype } from '../engine/dtypes.js';
import { type CallArgs, Layer, sameShape } from '../engine/layer.js';
import { uniqueName } from '../engine/naming.js';
import { Node } from '../engine/node.js';
import { formatPythonShape, type SymbolicShape, SymbolicTensor } from '../engine/symbolic.js';

export interface InputLayerArgs {
  /** Shape without the batch axis, e.g. [28, 28, 1]. */
  shape?: readonly (number | null)[];
  /** Alias of `shape` (Keras 2's `input_shape`). */
  inputShape?: readonly (number | null)[];
  batchSize?: number;
  /** Full shape with the batch axis, e.g. [null, 28, 28, 1]. */
  batchShape?: readonly (number | null)[];
  /** Alias of `batchShape` (Keras 2's `batch_input_shape`). */
  batchInputShape?: readonly (number | null)[];
  /** 'float32' (default), an integer dtype such as 'int32' (token ids) or 'bool'. */
  dtype?: InputDType;
  sparse?: boolean;
  name?: string;
}

export class InputLayer extends Layer {
  static override readonly className: string = 'InputLayer';

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly batchShape: SymbolicShape;
  readonly sparse: boolean;
  /** The declared data dtype (Keras's `Input(dtype=...)`); integer and bool data are held as int32. */
  readonly inputDtype: InputDType;
  /** The placeholder this layer feeds into a graph. */
  private readonly placeholder: SymbolicTensor;

  constructor(args: InputLayerArgs) {
    // Keras 2 names inputs `input_1`, `input_2`, ... (not `input_layer_1`).
    super({ name: args.name ?? uniqueName('input') });
    this.inputDtype = checkInputDtype(args.dtype, `InputLayer "${this.name}"`);
    const shape = args.shape ?? args.inputShape;
    const batchShape = args.batchShape ?? args.batchInputShape;
    if (shape && batchShape) throw new Error('InputLayer: you cannot pass both `shape` and `batchShape` at the same time.');
    if (batchShape && args.batchSize !== undefined) {
      throw new Error('InputLayer: you cannot pass both `batchSize` and `batchShape` at the same time.');
    }
    if (!shape && !batchShape)
      throw new Error('InputLayer: you must pass a `shape` argument, e.g. Input({ shape: [28, 28, 1] }).');
    const full = batchShape ? batchShape.slice() : [args.batchSize ?? null, ...(shape as readonly (number | null)[])];
    for (const d of full) {
      if (d !== null && (!Number.isInteger(d) || d < 0)) {
        throw new Error(
          `InputLayer "${this.name}": invalid shape ${formatPythonShape(full)}; dimensions must be integers >= 0 or null.`,
        );
      }
    }
    this.batchShape = full;
    this.sparse = args.sparse ?? false;
    if (this.sparse) throw new Error(`InputLayer "${this.name}": sparse inputs are not supported.`);
    this.placeholder = new SymbolicTensor(full, storageDtype(this.inputDtype), this, 0, 0);
    this.inboundNodes.push(new Node(this, [], [this.placeholder], false));
    this.built = true;
    this.buildShapes = [full.slice()];
  }

  /** The placeholder (an InputLayer's input and output are the same tensor, as in Keras). */
  override get output(): SymbolicTensor {
    return this.placeholder;
  }

  override get input(): SymbolicTensor {
    return this.placeholder;
  }

  /** An InputLayer passes its input through (used when a model is called eagerly). */
  override call(input: Tensor, _args: CallArgs): Tensor {
    return input;
  }

  override get inputShapes(): SymbolicShape[] {
    return [this.batchShape.slice()];
  }

  override get outputShapes(): SymbolicShape[] {
    return [this.batchShape.slice()];
  }

  override getConfig(): ConfigDict {
    return {
      batch_shape: this.batchShape.slice(),
      dtype: this.inputDtype,
      sparse: false,
      ragged: false,
      name: this.name,
      optional: false,
    };
  }

  static override fromConfig(config: ConfigDict): InputLayer {
    const owner = 'InputLayer.fromConfig';
    const batchShape = configShape(config, 'batch_shape', owner) ?? configShape(config, 'batch_input_shape', owner);
    if (!batchShape) throw new Error(`${owner}: the config needs 'batch_shape' (Keras 3) or 'batch_input_shape' (Keras 2).`);
    if (configBoolean(config, 'sparse', owner, false)) throw new Error(`${owner}: sparse inputs are not supported.`);
    const dtype = typeof config.dtype === 'string' ? config.dtype : undefined;
    return new InputLayer({ batchShape, name: configString(config, 'name', owner), dtype: checkInputDtype(dtype, owner) });
  }
}

export interface InputArgs {
  shape?: readonly (number | null)[];
  batchSize?: number;
  batchShape?: readonly (number | null)[];
  name?: string;
  /** 'float32' (default), an integer dtype such as 'int32' (token ids) or 'bool'. */
  dtype?: InputDType;
}

/** A symbolic model input (Keras's `Input(shape=...)`): `Input({ shape: [224, 224, 3] })`. */
export function Input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}
