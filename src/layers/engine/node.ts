/**
 * Node: one call of a layer on symbolic inputs (Keras's Node). A layer called three times
 * has three inbound nodes; each records which layers (and which of their calls and outputs)
 * fed it, so models can walk the graph and `summary()` can print `conv1_pad[0][0]`.
 */
import type { Layer } from './layer.js';
import type { SymbolicTensor } from './symbolic.js';

export class Node {
  readonly outboundLayer: Layer;
  readonly inputTensors: readonly SymbolicTensor[];
  readonly outputTensors: readonly SymbolicTensor[];
  /** Whether the inputs were passed as an array (`Add()([a, b])`) rather than one tensor. */
  readonly inputsAsList: boolean;

  constructor(
    outboundLayer: Layer,
    inputTensors: readonly SymbolicTensor[],
    outputTensors: readonly SymbolicTensor[],
    inputsAsList: boolean,
  ) {
    this.outboundLayer = outboundLayer;
    this.inputTensors = inputTensors.slice();
    this.outputTensors = outputTensors.slice();
    this.inputsAsList = inputsAsList;
  }

  /** The layers whose calls produced this node's inputs (empty for an input node). */
  get inboundLayers(): Layer[] {
    return this.inputTensors.map((t) => t.sourceLayer);
  }

  get nodeIndices(): number[] {
    return this.inputTensors.map((t) => t.nodeIndex);
  }

  get tensorIndices(): number[] {
    return this.inputTensors.map((t) => t.tensorIndex);
  }

  /** An input node (an InputLayer's own node, or a model's internal node) has no inbound layers. */
  get isInput(): boolean {
    return this.inputTensors.length === 0;
  }
}
