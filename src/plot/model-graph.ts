/**
 * Drawing a layer graph like Keras's `plot_model`: one box per layer (name and class, optionally
 * input/output shapes, activation and whether it trains), arrows along the data flow, colours by
 * kind of layer. The model-to-graph step lives in plot-model.ts; this file only draws.
 */
import { layoutGraph } from './graph-layout.js';
import { AXIS, el, escapeXml, INK, MUTED_INK, num, svgDocument, text, textWidth } from './svg.js';

/** One layer as the picture needs it. */
export interface GraphLayer {
  name: string;
  className: string;
  /** Names of the layers feeding this one, in input order. */
  inbound: string[];
  /** Shapes as Keras prints them, e.g. "(None, 28, 28, 1)"; several inputs joined by ", ". */
  inputShape?: string;
  outputShape?: string;
  activation?: string;
  trainable?: boolean;
}

export interface DrawGraphOptions {
  showShapes?: boolean;
  showLayerNames?: boolean;
  showLayerActivations?: boolean;
  showTrainable?: boolean;
  title?: string;
}

const TITLE_SIZE = 13;
const DETAIL_SIZE = 11;
const PAD = 10;

/** Pastel fills by layer family, so the eye finds convolutions, dense layers and merges. */
function fillFor(className: string): string {
  if (/InputLayer/.test(className)) return '#eceff1';
  if (/Conv/.test(className)) return '#dbeafe';
  if (/Dense/.test(className)) return '#ffe8cc';
  if (/Pool/.test(className)) return '#dcfce7';
  if (/Normalization/.test(className)) return '#ede9fe';
  if (/^(Add|Concatenate|Multiply|Average|Maximum|Minimum|Subtract|Dot)$/.test(className)) return '#fef9c3';
  if (/Activation|ReLU|Softmax|LeakyReLU|PReLU|ELU/.test(className)) return '#fce7f3';
  if (/Dropout|Random|Rescaling|Resizing/.test(className)) return '#f1f5f9';
  if (/Model|Sequential|Functional/.test(className)) return '#e0f2f1';
  return '#f5f5f4';
}

interface BoxContent {
  title: string;
  details: string[];
}

function boxContent(layer: GraphLayer, options: DrawGraphOptions): BoxContent {
  const showNames = options.showLayerNames ?? true;
  const title = showNames ? `${layer.name} (${layer.className})` : layer.className;
  const details: string[] = [];
  if (options.showShapes) {
    details.push(`Input shape: ${layer.inputShape ?? '?'}`);
    details.push(`Output shape: ${layer.outputShape ?? '?'}`);
  }
  if (options.showLayerActivations && layer.activation) details.push(`Activation: ${layer.activation}`);
  if (options.showTrainable && layer.trainable !== undefined)
    details.push(`Trainable: ${layer.trainable ? 'yes' : 'no (frozen)'}`);
  return { title, details };
}

/** The SVG of a layer graph. */
export function drawLayerGraph(layers: readonly GraphLayer[], options: DrawGraphOptions = {}): string {
  if (layers.length === 0) throw new Error('plotModel: the model has no layers to draw.');
  const names = new Set<string>();
  for (const layer of layers) {
    if (names.has(layer.name)) throw new Error(`plotModel: two layers are named '${layer.name}'.`);
    names.add(layer.name);
  }
  const contents = layers.map((layer) => boxContent(layer, options));
  // One width for every box: a clean column, like Keras's pictures.
  const width = Math.ceil(
    Math.max(
      ...contents.map((c) => Math.max(textWidth(c.title, TITLE_SIZE, true), ...c.details.map((d) => textWidth(d, DETAIL_SIZE)))),
    ) +
      2 * PAD,
  );
  const heightOf = (c: BoxContent) => 14 + TITLE_SIZE + (c.details.length ? 8 + c.details.length * (DETAIL_SIZE + 5) : 0) + 6;
  const edges: [string, string][] = [];
  for (const layer of layers) {
    for (const source of layer.inbound) {
      if (!names.has(source)) throw new Error(`plotModel: layer '${layer.name}' takes input from unknown layer '${source}'.`);
      edges.push([source, layer.name]);
    }
  }
  const layout = layoutGraph(
    layers.map((layer, i) => ({ id: layer.name, width, height: heightOf(contents[i]!) })),
    edges,
  );
  const titleHeight = options.title ? 36 : 0;
  let body = '';
  if (options.title) body += text(layout.width / 2, 22, options.title, { size: 16, weight: 'bold' });
  body += `<defs>${el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#555555' }))}</defs>`;
  body += `<g transform="translate(0 ${titleHeight})">`;
  for (const edge of layout.edges)
    body += el('path', {
      d: smoothPath(edge.points),
      fill: 'none',
      stroke: '#777777',
      'stroke-width': 1.4,
      'marker-end': 'url(#arrow)',
    });
  const byName = new Map(layers.map((layer, i) => [layer.name, i]));
  for (const node of layout.nodes) {
    const i = byName.get(node.id)!;
    const layer = layers[i]!;
    const content = contents[i]!;
    const left = node.x - node.width / 2;
    const frozen = options.showTrainable && layer.trainable === false;
    body += el('rect', {
      x: left,
      y: node.y,
      width: node.width,
      height: node.height,
      rx: 6,
      fill: frozen ? '#e5e7eb' : fillFor(layer.className),
      stroke: frozen ? '#9ca3af' : AXIS,
      'stroke-width': 1.2,
      'stroke-dasharray': frozen ? '5 3' : undefined,
    });
    const titleY = node.y + 8 + TITLE_SIZE / 2 + 2;
    body += text(node.x, titleY, content.title, { size: TITLE_SIZE, weight: 'bold', fill: INK });
    if (content.details.length) {
      const ruleY = titleY + TITLE_SIZE / 2 + 5;
      body += el('line', {
        x1: left + 6,
        x2: left + node.width - 6,
        y1: ruleY,
        y2: ruleY,
        stroke: '#b0b0b0',
        'stroke-width': 0.8,
      });
      content.details.forEach((detail, k) => {
        body += text(left + PAD, ruleY + 4 + (DETAIL_SIZE + 5) * k + (DETAIL_SIZE + 5) / 2, detail, {
          anchor: 'start',
          size: DETAIL_SIZE,
          fill: MUTED_INK,
        });
      });
    }
  }
  body += '</g>';
  return svgDocument(layout.width, layout.height + titleHeight, body, options.title ?? 'Model');
}

/** A smooth path through the points: vertical tangents at each point (curves in, straight lanes). */
function smoothPath(points: readonly [number, number][]): string {
  const [x0, y0] = points[0]!;
  let d = `M${num(x0)},${num(y0)}`;
  for (let i = 1; i < points.length; i++) {
    const [xa, ya] = points[i - 1]!;
    const [xb, yb] = points[i]!;
    const bend = (yb - ya) / 2;
    d += ` C${num(xa)},${num(ya + bend)} ${num(xb)},${num(yb - bend)} ${num(xb)},${num(yb)}`;
  }
  return escapeXml(d);
}
