import { describe, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.js';
import { layerCases, modelCases } from './cases.js';
import { runLayerCase } from './harness.js';

describeEachBackend('layer harness', () => {
  for (const c of layerCases) it(c.name, () => runLayerCase(c));
});

describe('layer harness: models as layers', () => {
  it('Sequential and functional models go through the same harness', () => {
    for (const c of modelCases) runLayerCase(c);
  });
});
