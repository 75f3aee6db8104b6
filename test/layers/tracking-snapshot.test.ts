import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/layers/core/dense.js';
import { Layer } from '../../src/layers/engine/layer.js';
import { openTrackingSnapshot, trackedObjects } from '../../src/layers/engine/tracking.js';

const isLayer = (v: unknown): v is Layer => v instanceof Layer;

class Holder {
  first: Layer = new Dense(2);
  blocks: Layer[] = [];
  later?: Layer;
}

describe('tracking snapshot', () => {
  it('walks each owner once per kind while open, and again once closed', () => {
    const h = new Holder();
    const close = openTrackingSnapshot();
    const seen = trackedObjects(h, isLayer);
    expect(seen).toEqual([h.first]);
    // A copy each time: the caller may change its list.
    seen.push(new Dense(1));
    h.later = new Dense(3);
    expect(trackedObjects(h, isLayer)).toEqual([h.first]);
    // A nested open shares the outer snapshot; its close ends nothing.
    openTrackingSnapshot()();
    expect(trackedObjects(h, isLayer)).toEqual([h.first]);
    close();
    expect(trackedObjects(h, isLayer)).toEqual([h.first, h.later]);
    h.blocks.push(new Dense(4));
    expect(trackedObjects(h, isLayer)).toEqual([h.first, ...h.blocks, h.later]);
  });

  it('finds values in arrays, plain objects and Maps, each once, and never the owner', () => {
    const a = new Dense(1);
    const b = new Dense(2);
    const owner: Record<string, unknown> = { a, list: [a, [b]], byName: { b }, map: new Map([['x', a]]) };
    owner.self = owner;
    (owner.list as unknown[]).push(owner.list);
    expect(trackedObjects(owner, isLayer)).toEqual([a, b]);
  });
});
