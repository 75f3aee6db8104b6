/**
 * `model.summary()` in the user's notebook format: Keras 2.2's plain text (keras/utils/
 * layer_utils.py `print_summary`), byte for byte. Sequential-like models get three columns
 * (`Layer (type)`, `Output Shape`, `Param #`) at int(65 * [.45, .85, 1]) = 29/55/65; graph
 * models a fourth, `Connected to`, at int(98 * [.33, .55, .67, 1]) = 32/53/65/98. Each row is
 * built field by field: replace the last character with a space, append the field, cut to
 * the column, pad to the column. `style: 'keras3'` prints Keras 3's box table instead.
 */
import type { Layer } from '../layers/engine/layer.js';
import type { Node } from '../layers/engine/node.js';
import { formatPythonShape } from '../layers/engine/symbolic.js';
import type { Model } from './functional.js';
import { printSummaryKeras3 } from './summary-keras3.js';

export interface SummaryOptions {
  /** Total width; defaults 65 (sequential-like) / 98 (graph) for 'keras2'. */
  lineLength?: number;
  /** Column stops, relative (all <= 1) or absolute. */
  positions?: number[];
  /** Receives each line ('keras2') or the whole text ('keras3'); default console.log. */
  printFn?: (line: string) => void;
  /** 'keras2' (default): the notebook's plain text; 'keras3': Keras 3's box table with sizes. */
  style?: 'keras2' | 'keras3';
}

export function printSummary(model: Model, options: SummaryOptions = {}): string {
  if (options.style !== undefined && options.style !== 'keras2' && options.style !== 'keras3') {
    throw new Error(`summary: unknown style '${String(options.style)}'; expected 'keras2' or 'keras3'.`);
  }
  if (options.style === 'keras3') return printSummaryKeras3(model, options);
  if (!model.built) {
    throw new Error(
      'This model has not yet been built. Build the model first by calling build() or calling fit() with some data. ' +
        'Or specify inputShape or batchInputShape in the first layer for automatic build.',
    );
  }
  const sequentialLike = isSequentialLike(model);
  const lineLength = options.lineLength ?? (sequentialLike ? 65 : 98);
  let positions = options.positions ?? (sequentialLike ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1]);
  if ((positions[positions.length - 1] as number) <= 1) positions = positions.map((p) => Math.floor(lineLength * p));
  const header = sequentialLike
    ? ['Layer (type)', 'Output Shape', 'Param #']
    : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];

  const lines: string[] = [];
  const emit = (line: string): void => {
    lines.push(line);
  };
  const row = (fields: string[]): void => emit(formatRow(fields, positions));

  emit('_'.repeat(lineLength));
  row(header);
  emit('='.repeat(lineLength));
  const layers = model.layers;
  layers.forEach((layer, i) => {
    const name = `${layer.name} (${displayClassName(layer, 'keras2')})`;
    const fields = [name, outputShapeText(layer), String(layer.countParams())];
    if (sequentialLike) row(fields);
    else {
      const connections = connectionsOf(model, layer, false);
      row([...fields, connections[0] ?? '']);
      for (const c of connections.slice(1)) row(['', '', '', c]);
    }
    emit((i === layers.length - 1 ? '=' : '_').repeat(lineLength));
  });
  const { trainable, nonTrainable } = paramCounts(model);
  emit(`Total params: ${withThousands(trainable + nonTrainable)}`);
  emit(`Trainable params: ${withThousands(trainable)}`);
  emit(`Non-trainable params: ${withThousands(nonTrainable)}`);
  emit('_'.repeat(lineLength));
  const print = options.printFn ?? ((line: string) => console.log(line));
  for (const line of lines) print(line);
  return lines.join('\n');
}

/** Keras 2.2's `print_row`. */
export function formatRow(fields: readonly string[], positions: readonly number[]): string {
  let line = '';
  fields.forEach((field, i) => {
    if (i > 0) line = `${line.slice(0, -1)} `;
    line += field;
    const stop = positions[i] as number;
    line = line.slice(0, stop);
    line += ' '.repeat(Math.max(0, stop - line.length));
  });
  return line;
}

/**
 * A model prints as a simple stack when every depth has one node with at most one input and
 * no layer is called twice inside it (Keras's rule); otherwise it gets `Connected to`.
 */
export function isSequentialLike(model: Model): boolean {
  if (model.className === 'Sequential') return true;
  const nodes = new Set<Node>();
  for (const list of model.nodesByDepth.values()) {
    if (list.length > 1 || (list.length === 1 && (list[0] as Node).inputTensors.length > 1)) return false;
    for (const n of list) nodes.add(n);
  }
  for (const layer of model.layers) {
    let seen = false;
    for (const node of layer.inboundNodes) {
      if (!nodes.has(node)) continue;
      if (seen) return false;
      seen = true;
    }
  }
  return true;
}

/** `Model` / `Functional` for nested functional models, the class name otherwise. */
export function displayClassName(layer: Layer, style: 'keras2' | 'keras3'): string {
  const withStyle = layer as Layer & { summaryClassName?: (s: 'keras2' | 'keras3') => string };
  return withStyle.summaryClassName ? withStyle.summaryClassName(style) : layer.className;
}

/** Python's str() of Keras 2's `layer.output_shape`, or 'multiple' when calls disagree. */
function outputShapeText(layer: Layer): string {
  let shapes: (number | null)[][];
  try {
    shapes = layer.outputShapes;
  } catch {
    return 'multiple';
  }
  if (shapes.length === 1) return formatPythonShape(shapes[0] as (number | null)[]);
  return `[${shapes.map((s) => formatPythonShape(s)).join(', ')}]`;
}

/**
 * `inbound[node][tensor]` for each input of the layer's calls inside this model. Keras 3 has
 * no internal node on models, so its indices into a nested model are one lower.
 */
export function connectionsOf(model: Model, layer: Layer, keras3: boolean): string[] {
  const out: string[] = [];
  for (const node of layer.inboundNodes) {
    if (!model.hasNode(node)) continue;
    for (const t of node.inputTensors) {
      const src = t.sourceLayer as Layer & { summaryClassName?: unknown };
      const nodeIndex = keras3 && src.summaryClassName !== undefined ? t.nodeIndex - 1 : t.nodeIndex;
      out.push(`${src.name}[${nodeIndex}][${t.tensorIndex}]`);
    }
  }
  return out;
}

export function paramCounts(model: Model): { trainable: number; nonTrainable: number } {
  const count = (vs: readonly { size: number }[]): number => [...new Set(vs)].reduce((n, v) => n + v.size, 0);
  return { trainable: count(model.trainableWeights), nonTrainable: count(model.nonTrainableWeights) };
}

/** Python's `'{:,}'.format(n)`. */
export function withThousands(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}
