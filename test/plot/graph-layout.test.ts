import { describe, expect, it } from 'vitest';
import { layoutGraph } from '../../src/plot/graph-layout.js';
import { drawLayerGraph, type GraphLayer } from '../../src/plot/model-graph.js';

/** A residual block: main path of `depth` layers, optional projection shortcut, then Add. */
function residualGraph(blocks: number): GraphLayer[] {
  const layers: GraphLayer[] = [{ name: 'input', className: 'InputLayer', inbound: [] }];
  let previous = 'input';
  for (let b = 0; b < blocks; b++) {
    let current = previous;
    for (const part of ['conv_a', 'bn_a', 'relu_a', 'conv_b', 'bn_b']) {
      const name = `b${b}_${part}`;
      layers.push({ name, className: part.startsWith('conv') ? 'Conv2D' : 'BatchNormalization', inbound: [current] });
      current = name;
    }
    let shortcut = previous;
    if (b === 0) {
      layers.push({ name: 'b0_proj', className: 'Conv2D', inbound: [previous] });
      shortcut = 'b0_proj';
    }
    layers.push({ name: `b${b}_add`, className: 'Add', inbound: [shortcut, current] });
    previous = `b${b}_add`;
  }
  return layers;
}

describe('layer graph layout', () => {
  it('puts a sequential model in one straight column', () => {
    const nodes = ['a', 'b', 'c'].map((id) => ({ id, width: 100, height: 30 }));
    const layout = layoutGraph(nodes, [
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(new Set(layout.nodes.map((n) => n.x)).size).toBe(1);
    const ys = layout.nodes.map((n) => n.y);
    expect(ys).toEqual([...ys].sort((p, q) => p - q));
    for (const edge of layout.edges) expect(edge.points).toHaveLength(2);
  });

  it('keeps the trunk of a residual network straight with shortcuts beside it', () => {
    const layers = residualGraph(3);
    const edges = layers.flatMap((l) => l.inbound.map((from) => [from, l.name] as [string, string]));
    const layout = layoutGraph(
      layers.map((l) => ({ id: l.name, width: 120, height: 30 })),
      edges,
    );
    const at = new Map(layout.nodes.map((n) => [n.id, n]));
    const trunkX = at.get('input')!.x;
    for (const l of layers) if (l.name !== 'b0_proj') expect(at.get(l.name)!.x).toBe(trunkX);
    expect(at.get('b0_proj')!.x).toBeGreaterThan(trunkX + 120);
    // No two boxes overlap.
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const overlapX = Math.abs(a.x - b.x) < (a.width + b.width) / 2;
        const overlapY = a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlapX && overlapY).toBe(false);
      }
    }
    // Identity shortcuts skip ranks through waypoints that stay right of the trunk boxes.
    const shortcut = layout.edges.find((e) => e.from === 'b0_add' && e.to === 'b1_add')!;
    expect(shortcut.points.length).toBeGreaterThan(3);
    for (const [x] of shortcut.points.slice(1, -1)) expect(x).toBeGreaterThan(trunkX + 60);
  });

  it('draws boxes with names, classes and shapes, and rejects bad graphs', () => {
    const svg = drawLayerGraph(
      [
        { name: 'in', className: 'InputLayer', inbound: [], outputShape: '(None, 4)' },
        {
          name: 'dense_1',
          className: 'Dense',
          inbound: ['in'],
          inputShape: '(None, 4)',
          outputShape: '(None, 2)',
          activation: 'relu',
        },
      ],
      { showShapes: true, showLayerActivations: true },
    );
    expect(svg).toContain('>dense_1 (Dense)</text>');
    expect(svg).toContain('>Output shape: (None, 2)</text>');
    expect(svg).toContain('>Activation: relu</text>');
    expect(svg.match(/marker-end/g)).toHaveLength(1);
    expect(() => drawLayerGraph([{ name: 'x', className: 'Dense', inbound: ['nowhere'] }])).toThrow(
      "plotModel: layer 'x' takes input from unknown layer 'nowhere'.",
    );
    expect(() =>
      drawLayerGraph([
        { name: 'a', className: 'Dense', inbound: ['b'] },
        { name: 'b', className: 'Dense', inbound: ['a'] },
      ]),
    ).toThrow('plotModel: the layer graph has a cycle.');
  });
});
