/**
 * Node: one call of a layer on symbolic inputs (Keras's Node). A layer called three times
 * has three inbound nodes; each records which layers (and which of their calls and outputs)
 * fed it, so models can walk the graph and `summary()` can print `conv1_pad[0][0]`.
 */
import type { CallOptions } from './call-options.js';
import type { Layer } from './layer.js';
import type { SymbolicTensor } from './symbolic.js';

export class Node {
  readonly outboundLayer: Layer;
  readonly inputTensors: readonly SymbolicTensor[];
  readonly outputTensors: readonly SymbolicTensor[];
  /** Whether the inputs were passed as an array (`Add()([a, b])`) rather than one tensor. */
  readonly inputsAsList: boolean;
  /** The call's plain options (`training`, `useCausalMask`, ...), replayed on every run (call-options.ts). */
  readonly callOptions: CallOptions;
  readonly hasCallOptions: boolean;

  constructor(
    outboundLayer: Layer,
    inputTensors: readonly SymbolicTensor[],
    outputTensors: readonly SymbolicTensor[],
    inputsAsList: boolean,
    callOptions: CallOptions = {},
  ) {
    this.outboundLayer = outboundLayer;
    this.inputTensors = inputTensors.slice();
    this.outputTensors = outputTensors.slice();
    this.inputsAsList = inputsAsList;
    this.callOptions = callOptions;
    this.hasCallOptions = Object.keys(callOptions).length > 0;
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

/**
 * The input or output tensors of a layer's first call (Keras's `layer.input` / `layer.output`,
 * which read node 0 whatever the number of calls): one tensor, or the list when the call took
 * or gave several. Refused, as Keras refuses it, for a layer never called on symbolic inputs.
 */
export function firstCallTensors(layer: Layer, kind: 'input' | 'output'): SymbolicTensor | SymbolicTensor[] {
  const node = layer.inboundNodes[0];
  if (!node) throw new Error(`The layer "${layer.name}" has never been called and thus has no defined ${kind}.`);
  const tensors = kind === 'input' ? node.inputTensors : node.outputTensors;
  if (kind === 'input' && node.isInput) {
    // an InputLayer's own node: its input is its output placeholder (as in Keras)
    return single(node.outputTensors);
  }
  return single(tensors);
}

function single(tensors: readonly SymbolicTensor[]): SymbolicTensor | SymbolicTensor[] {
  return tensors.length === 1 ? (tensors[0] as SymbolicTensor) : tensors.slice();
}
