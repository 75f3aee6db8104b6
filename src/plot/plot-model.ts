/**
 * `plotModel`: Keras's `plot_model` — the model's layer graph as a picture. Sequential models
 * come out as one column; functional models (ResNet50's residual blocks, multi-input models) as
 * a graph with a straight trunk and side branches. Nested models are drawn as one box.
 */
import type { Layer } from '../layers/engine/layer.js';
import type { Node } from '../layers/engine/node.js';
import { formatPythonShape } from '../layers/engine/symbolic.js';
import { Model } from '../models/functional.js';
import { Sequential } from '../models/sequential.js';
import { drawLayerGraph, type GraphLayer } from './model-graph.js';
import { writePicture } from './output.js';

export interface PlotModelOptions {
  /** Where to write the picture; `.svg` or `.png`. Without it the SVG text is only returned. */
  toFile?: string;
  /** Show each layer's input and output shapes (Keras default: false). */
  showShapes?: boolean;
  /** Show layer names next to their classes (default: true). */
  showLayerNames?: boolean;
  /** Show the activation of layers that have one. */
  showLayerActivations?: boolean;
  /** Show whether each layer trains (frozen layers are drawn dashed and grey). */
  showTrainable?: boolean;
  /** A title above the graph (default: none). */
  title?: string;
  /** PNG only: pixels per SVG unit (default 1 for big graphs, 2 for small ones). */
  scale?: number;
}

function shapesText(shapes: readonly (readonly (number | null)[])[]): string {
  if (shapes.length === 1) return formatPythonShape(shapes[0]!);
  return `[${shapes.map((s) => formatPythonShape(s)).join(', ')}]`;
}

function activationOf(layer: Layer): string | undefined {
  try {
    const activation = layer.getConfig().activation;
    return typeof activation === 'string' ? activation : undefined;
  } catch {
    return undefined;
  }
}

/** The layers of `model` with their connections inside it, as the drawing needs them. */
export function modelGraph(model: Model): GraphLayer[] {
  const layers: Layer[] = model.layers.slice();
  if (model instanceof Sequential && model.inputLayer && !layers.includes(model.inputLayer)) layers.unshift(model.inputLayer);
  if (layers.length === 0) {
    throw new Error(`plotModel: model "${model.name}" has no layers yet; add layers (and an input shape) before plotting it.`);
  }
  return layers.map((layer) => {
    // The calls of this layer that belong to this model's graph (a shared layer has several).
    const nodes: Node[] = layer.inboundNodes.filter((node) => model.hasNode(node));
    const inbound = [...new Set(nodes.flatMap((node) => node.inboundLayers.map((l) => l.name)))];
    const node = nodes[0];
    const inputShapes =
      node && !node.isInput ? node.inputTensors.map((t) => t.shape) : node ? node.outputTensors.map((t) => t.shape) : [];
    const outputShapes = node ? node.outputTensors.map((t) => t.shape) : [];
    return {
      name: layer.name,
      className: layer.className,
      inbound,
      inputShape: inputShapes.length ? shapesText(inputShapes) : undefined,
      outputShape: outputShapes.length ? shapesText(outputShapes) : undefined,
      activation: activationOf(layer),
      // Like Keras's show_trainable, layers without weights have nothing to train or freeze.
      trainable: layer.weights.length > 0 ? layer.trainable : undefined,
    };
  });
}

/** The SVG of `plotModel`, built synchronously. */
export function modelSvg(model: Model, options: PlotModelOptions = {}): string {
  if (!(model instanceof Model)) throw new Error('plotModel: expected a Model or Sequential.');
  return drawLayerGraph(modelGraph(model), options);
}

/**
 * Draws the model's layer graph. Returns the SVG; writes it (SVG or PNG by extension) when `toFile`
 * is set, or when the file name is given positionally as in Keras: `plotModel(model, 'model.png', { showShapes })`.
 */
export async function plotModel(model: Model, options?: PlotModelOptions): Promise<string>;
export async function plotModel(model: Model, toFile: string, options?: Omit<PlotModelOptions, 'toFile'>): Promise<string>;
export async function plotModel(
  model: Model,
  fileOrOptions: string | PlotModelOptions = {},
  more: Omit<PlotModelOptions, 'toFile'> = {},
): Promise<string> {
  if (typeof fileOrOptions === 'string' && 'toFile' in more) {
    throw new Error('plotModel: the file name was given twice (positionally and as toFile); give it once.');
  }
  const options: PlotModelOptions = typeof fileOrOptions === 'string' ? { ...more, toFile: fileOrOptions } : fileOrOptions;
  const svg = modelSvg(model, options);
  if (options.toFile) {
    const layerCount = model.layers.length;
    await writePicture(svg, options.toFile, 'plotModel', options.scale ?? (layerCount > 40 ? 1 : 2));
  }
  return svg;
}
