/**
 * The config of a layer held by another (a cell in an RNN, the layer of a wrapper), in Keras 3's
 * serialized form without `build_config`: the holder builds what it holds from its own input
 * shape, so a revived holder gives the same config as the original whether or not its parts were
 * built yet. (Files that carry a nested build_config, as Keras writes them, still load.)
 */
import type { ConfigValue } from '../engine/config.js';
import type { Layer } from '../engine/layer.js';
import { serializeLayer } from '../serialization.js';

export function nestedLayerConfig(layer: Layer): ConfigValue {
  const { build_config: _build, ...serialized } = serializeLayer(layer, 'keras3');
  return serialized as ConfigValue;
}
