/** `capa.applications`: Keras's pretrained architectures (weights loading comes from the saving module). */
export {
  type ApplicationOptions,
  type ApplicationWeightsLoader,
  loadApplicationWeights,
  setApplicationWeightsLoader,
  type WeightsRequest,
} from './common.js';
// Weights loading, preprocessing and prediction decoding (saving area).
export { imagenetUtils, mobilenetV2, resnet50, vgg16, vgg19 } from './imagenet-namespaces.js';
export { type DecodedPrediction, decodePredictions, type PreprocessMode, preprocessInput } from './imagenet-utils.js';
export { MobileNetV2, type MobileNetV2Options } from './mobilenet-v2.js';
export { loadPretrainedWeights, type PretrainedWeightsRequest } from './pretrained-weights.js';
export { type ImagenetApplication, type PublishedWeightsFile, publishedWeightsFile } from './published-weights.js';
export { ResNet50 } from './resnet50.js';
export { VGG16, VGG19 } from './vgg.js';
export type { WeightsCacheOptions } from './weights-cache.js';
