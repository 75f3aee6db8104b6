/**
 * TimeDistributed (Keras's): applies one layer to every timestep of a [batch, steps, ...] input,
 * with the same weights, by folding the steps into the batch: [batch·steps, ...] through the
 * layer, then back to [batch, steps, ...].
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, isConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, type LayerClass } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import { deserializeLayer } from '../registry.js';
import { nestedLayerConfig } from './nested-config.js';

export class TimeDistributed extends Layer {
  static override readonly className: string = 'TimeDistributed';
  protected override readonly supportsMasking = true;
  readonly layer: Layer;

  constructor(layer: Layer, args: LayerArgs = {}) {
    super(args);
    if (!(layer instanceof Layer)) {
      throw new Error(`TimeDistributed: please initialize it with a \`Layer\` instance. Received: ${String(layer)}`);
    }
    this.layer = layer;
  }

  private checkShape(shape: readonly (number | null)[]): void {
    if (shape.length < 3) {
      throw new Error(
        `TimeDistributed "${this.name}": the input should be at least 3D ([batch, timesteps, ...]), but it received input_shape=${formatPythonShape(shape)}`,
      );
    }
  }

  override build(inputShape: SymbolicShape): void {
    this.checkShape(inputShape);
    if (!this.layer.built) this.layer.maybeBuild([[null, ...inputShape.slice(2)]]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.checkShape(inputShape);
    const inner = this.layer.computeOutputShape([null, ...inputShape.slice(2)]);
    return [inputShape[0] ?? null, inputShape[1] ?? null, ...inner.slice(1)];
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    this.checkShape(input.shape);
    const [batch, steps] = input.shape as [number, number];
    const folded = ops.reshape(input, [batch * steps, ...input.shape.slice(2)]);
    const y = this.layer.apply(folded, { training: args.training });
    return ops.reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), layer: nestedLayerConfig(this.layer) };
  }

  static override fromConfig(config: ConfigDict, customObjects?: Readonly<Record<string, LayerClass>>): TimeDistributed {
    const owner = 'TimeDistributed.fromConfig';
    if (!isConfigDict(config.layer)) throw new Error(`${owner}: the config has no layer.`);
    return new TimeDistributed(deserializeLayer(config.layer, customObjects), baseArgsFromConfig(config, owner));
  }
}
