/**
 * Where Keras publishes its ImageNet weight files and the md5 hashes its application sources
 * check them with (keras/src/applications/vgg16.py, vgg19.py, resnet.py, mobilenet_v2.py).
 * MobileNetV2's files are published without a hash, so none is checked for them (as in Keras).
 */

export type ImagenetApplication = 'vgg16' | 'vgg19' | 'resnet50' | 'mobilenet_v2';

export interface PublishedWeightsFile {
  /** What `weights: 'imagenet'` loads, for messages (e.g. 'ResNet50'). */
  model: string;
  fileName: string;
  url: string;
  /** md5 of the file as Keras verifies it, or null where Keras publishes none. */
  md5: string | null;
}

export interface PublishedWeightsOptions {
  includeTop: boolean;
  /** MobileNetV2 only: width multiplier (0.35, 0.5, 0.75, 1.0, 1.3, 1.4). */
  alpha?: number;
  /** MobileNetV2 only: input size (96, 128, 160, 192, 224). */
  rows?: number;
}

const BASE = 'https://storage.googleapis.com/tensorflow/keras-applications/';

const HASHES = {
  vgg16: { top: '64373286793e3c8b2b4e3219cbf3544b', notop: '6d6bbae143d832006294945121d1f1fc' },
  vgg19: { top: 'cbe5617147190e668d6c5d5026f83318', notop: '253f8cb515780f3b799900260a226db6' },
  resnet50: { top: '2cb95161c43110f7111970584f804107', notop: '4d473c1dd8becc155b73f8504c6f6626' },
} as const;

const MOBILENET_V2_ALPHAS = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4];
const MOBILENET_V2_ROWS = [96, 128, 160, 192, 224];

/** Python's `str(float(x))`: '1.0', '0.35'. */
function pythonFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

export function publishedWeightsFile(application: ImagenetApplication, options: PublishedWeightsOptions): PublishedWeightsFile {
  const suffix = options.includeTop ? '' : '_notop';
  switch (application) {
    case 'vgg16':
    case 'vgg19':
    case 'resnet50': {
      const folder = application === 'resnet50' ? 'resnet' : application;
      const fileName = `${application}_weights_tf_dim_ordering_tf_kernels${suffix}.h5`;
      const model = { vgg16: 'VGG16', vgg19: 'VGG19', resnet50: 'ResNet50' }[application];
      return {
        model,
        fileName,
        url: `${BASE}${folder}/${fileName}`,
        md5: HASHES[application][options.includeTop ? 'top' : 'notop'],
      };
    }
    case 'mobilenet_v2': {
      const alpha = options.alpha ?? 1.0;
      const rows = options.rows ?? 224;
      if (!MOBILENET_V2_ALPHAS.includes(alpha)) {
        throw new Error(
          `MobileNetV2: ImageNet weights exist only for alpha in [${MOBILENET_V2_ALPHAS.join(', ')}], received alpha=${alpha}.`,
        );
      }
      if (!MOBILENET_V2_ROWS.includes(rows)) {
        throw new Error(
          `MobileNetV2: ImageNet weights exist only for input sizes [${MOBILENET_V2_ROWS.join(', ')}], received ${rows}.`,
        );
      }
      const fileName = `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${pythonFloat(alpha)}_${rows}${options.includeTop ? '' : '_no_top'}.h5`;
      return { model: 'MobileNetV2', fileName, url: `${BASE}mobilenet_v2/${fileName}`, md5: null };
    }
    default:
      throw new Error(`No published ImageNet weights for '${String(application)}'.`);
  }
}
