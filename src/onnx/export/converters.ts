/** Every layer converter, by the exact class it converts; the supported list is read from here. */
import type { Layer } from '../../layers/engine/layer.js';
import type { ConverterEntry } from './converter.js';
import { activationConverters } from './layers/activations.js';
import { convTransposeConverters } from './layers/conv-transpose.js';
import { convolutionConverters } from './layers/convolution.js';
import { coreConverters } from './layers/core.js';
import { mergingConverters } from './layers/merging.js';
import { normalizationConverters } from './layers/normalization.js';
import { poolingConverters } from './layers/pooling.js';
import { preprocessingConverters } from './layers/preprocessing.js';
import { recurrentConverters } from './layers/recurrent.js';
import { reshapingConverters } from './layers/reshaping.js';

const CONVERTERS = new Map<abstract new (...args: never[]) => Layer, ConverterEntry>(
  [
    ...coreConverters,
    ...activationConverters,
    ...convolutionConverters,
    ...convTransposeConverters,
    ...poolingConverters,
    ...normalizationConverters,
    ...reshapingConverters,
    ...mergingConverters,
    ...preprocessingConverters,
    ...recurrentConverters,
  ].map((entry) => [entry.cls, entry]),
);

export function converterFor(layer: Layer): ConverterEntry | undefined {
  return CONVERTERS.get(layer.constructor as abstract new (...args: never[]) => Layer);
}

/** Class names of the exportable layers, sorted, for error messages. */
export function supportedLayerNames(): string[] {
  return [...CONVERTERS.keys()].map((cls) => (cls as unknown as { className: string }).className).sort();
}
