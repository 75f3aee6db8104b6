/** Activation: applies an activation function by Keras name (`Activation('relu')`). */
import type { Tensor } from '../../tensor/tensor.js';
import {
  type ActivationFunction,
  type ActivationIdentifier,
  activationFromConfig,
  getActivation,
} from '../activations/functions.js';
import type { ConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export class Activation extends Layer {
  static override readonly className: string = 'Activation';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly activation: ActivationFunction;

  constructor(activation: ActivationIdentifier | ActivationFunction, args: LayerArgs = {}) {
    super(args);
    if (activation === undefined) throw new Error('Activation: the `activation` argument is required, e.g. Activation("relu").');
    this.activation = getActivation(activation);
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return this.activation.apply(input);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), activation: this.activation.name };
  }

  static override fromConfig(config: ConfigDict): Activation {
    const owner = 'Activation.fromConfig';
    return new Activation(activationFromConfig(config.activation, owner), baseArgsFromConfig(config, owner));
  }
}
