/** `capa.applications`: Keras's pretrained architectures (weights loading comes from the saving module). */
export {
  type ApplicationOptions,
  type ApplicationWeightsLoader,
  loadApplicationWeights,
  setApplicationWeightsLoader,
  type WeightsRequest,
} from './common.js';
export { MobileNetV2, type MobileNetV2Options } from './mobilenet-v2.js';
export { ResNet50 } from './resnet50.js';
export { VGG16, VGG19 } from './vgg.js';
