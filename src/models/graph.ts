/**
 * Graph mapping for functional models, following Keras's `_map_graph_network`: a depth-first
 * walk from the outputs gives each node a depth (outputs at 0, inputs deepest); layers are
 * ordered deepest first and, within a depth, in the order the walk first met them. That
 * order is what `model.layers` and `summary()` show.
 */
import type { Layer } from '../layers/engine/layer.js';
import type { Node } from '../layers/engine/node.js';
import type { SymbolicTensor } from '../layers/engine/symbolic.js';

export interface GraphMap {
  /** Depth (0 = output side) to the nodes at that depth, in discovery order. */
  nodesByDepth: Map<number, Node[]>;
  /** Depths from deepest (inputs) to 0, for topological execution. */
  depthsDescending: number[];
  /** Layers deepest first, ties broken by discovery order. */
  layers: Layer[];
  /** The nodes belonging to this graph. */
  nodes: Set<Node>;
  /** The non-input nodes in execution order, each with the values that are dead once it ran. */
  steps: ExecutionStep[];
}

export interface ExecutionStep {
  node: Node;
  /**
   * Values (model inputs or node outputs) whose last consumer is this node, or that this node
   * produced and nothing consumes; never a model output.
   */
  dead: SymbolicTensor[];
}

export function mapGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): GraphMap {
  const nodes = new Set<Node>();
  const layerIndices = new Map<Layer, number>();
  const nodesInDecreasingDepth: Node[] = [];
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();

  // Depth-first from the outputs, with an explicit stack: a chain of 100k layers is too deep
  // for recursion. A node is numbered (its layer first met) on entry and listed on exit.
  const stack: { node: Node; next: number }[] = [];
  const enter = (t: SymbolicTensor): void => {
    const layer = t.sourceLayer;
    const node = layer.inboundNodes[t.nodeIndex];
    if (!node) throw new Error(`Graph error: layer "${layer.name}" has no node ${t.nodeIndex}.`);
    if (inProgress.has(node)) throw new Error(`The tensor graph is cyclic at layer "${layer.name}".`);
    if (finished.has(node)) return;
    nodes.add(node);
    if (!layerIndices.has(layer)) layerIndices.set(layer, layerIndices.size);
    inProgress.add(node);
    stack.push({ node, next: 0 });
  };
  for (const output of outputs) {
    enter(output);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: Node; next: number };
      const input = top.node.inputTensors[top.next++];
      if (input) {
        enter(input);
        continue;
      }
      stack.pop();
      finished.add(top.node);
      inProgress.delete(top.node);
      nodesInDecreasingDepth.push(top.node);
    }
  }

  const nodeDepths = new Map<Node, number>();
  const layerDepths = new Map<Layer, number>();
  for (let i = nodesInDecreasingDepth.length - 1; i >= 0; i--) {
    const node = nodesInDecreasingDepth[i] as Node;
    let depth = nodeDepths.get(node) ?? 0;
    depth = Math.max(depth, layerDepths.get(node.outboundLayer) ?? 0);
    layerDepths.set(node.outboundLayer, depth);
    nodeDepths.set(node, depth);
    for (const t of node.inputTensors) {
      const inbound = t.sourceLayer.inboundNodes[t.nodeIndex] as Node;
      nodeDepths.set(inbound, Math.max(depth + 1, nodeDepths.get(inbound) ?? 0));
    }
  }

  const nodesByDepth = new Map<number, Node[]>();
  for (const [node, depth] of nodeDepths) {
    const list = nodesByDepth.get(depth) ?? [];
    list.push(node);
    nodesByDepth.set(depth, list);
  }
  const layersByDepth = new Map<number, Layer[]>();
  for (const [layer, depth] of layerDepths) {
    const list = layersByDepth.get(depth) ?? [];
    list.push(layer);
    layersByDepth.set(depth, list);
  }
  const depthsDescending = [...nodesByDepth.keys()].sort((a, b) => b - a);
  const layers: Layer[] = [];
  for (const depth of [...layersByDepth.keys()].sort((a, b) => b - a)) {
    const list = (layersByDepth.get(depth) as Layer[]).slice();
    list.sort((a, b) => (layerIndices.get(a) as number) - (layerIndices.get(b) as number));
    layers.push(...list);
  }

  checkComputable(inputs, nodesByDepth, depthsDescending);
  checkUniqueNames(layers);
  const steps = executionSteps(nodesByDepth, depthsDescending, outputs);
  return { nodesByDepth, depthsDescending, layers, nodes, steps };
}

/** Execution order (deepest first) and, per step, the values that die there. */
function executionSteps(
  nodesByDepth: Map<number, Node[]>,
  depthsDescending: readonly number[],
  outputs: readonly SymbolicTensor[],
): ExecutionStep[] {
  const steps: ExecutionStep[] = [];
  const lastUse = new Map<SymbolicTensor, number>();
  for (const depth of depthsDescending) {
    for (const node of nodesByDepth.get(depth) as Node[]) {
      if (node.isInput) continue;
      for (const t of node.inputTensors) lastUse.set(t, steps.length);
      // A produced value nothing consumes dies at once.
      for (const t of node.outputTensors) lastUse.set(t, steps.length);
      steps.push({ node, dead: [] });
    }
  }
  const kept = new Set(outputs);
  for (const [t, step] of lastUse) if (!kept.has(t)) (steps[step] as ExecutionStep).dead.push(t);
  return steps;
}

/** Every node's inputs must come from the model inputs or earlier nodes (Keras's "Graph disconnected"). */
function checkComputable(inputs: readonly SymbolicTensor[], nodesByDepth: Map<number, Node[]>, depths: number[]): void {
  const computable = new Set<SymbolicTensor>(inputs);
  // Layers reached so far, in order, for the message (a Set keeps the check linear).
  const done = new Set<string>();
  for (const depth of depths) {
    for (const node of nodesByDepth.get(depth) as Node[]) {
      const layer = node.outboundLayer;
      // An InputLayer's node: its own tensor must be one of the declared inputs.
      const needed = node.isInput ? node.outputTensors : node.inputTensors;
      for (const t of needed) {
        if (!computable.has(t)) {
          throw new Error(
            `Graph disconnected: cannot obtain value for tensor ${t.name} at layer "${layer.name}". ` +
              `The following previous layers were accessed without issue: [${[...done].map((n) => `'${n}'`).join(', ')}]`,
          );
        }
      }
      for (const t of node.outputTensors) computable.add(t);
      done.add(layer.name);
    }
  }
}

function checkUniqueNames(layers: readonly Layer[]): void {
  const counts = new Map<string, number>();
  for (const l of layers) counts.set(l.name, (counts.get(l.name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1) {
      throw new Error(`The name "${name}" is used ${count} times in the model. All layer names should be unique.`);
    }
  }
}
