/**
 * The notebook's transfer-learning part, as a user would write it with capa: ResNet50 without
 * its top, frozen, with GlobalAveragePooling2D, Dense and Dropout on top; compiled with Adam;
 * trained with ImageDataGenerator.flowFromDirectory and ModelCheckpoint; then the confusion
 * matrix and classification report on the validation images.
 *
 *   npx tsx examples/02-transfer-learning-resnet50.ts [image-folder] [--weights FILE] [--epochs N]
 *
 * image-folder holds one sub-folder per class. Without one, the example writes a small folder
 * of MNIST digits (0, 1 and 2; 60 each) to a temporary directory and uses that.
 *
 * Weights: without --weights the example asks for 'imagenet', which reads Keras's file from
 * ~/.capa/models or downloads it. Offline, pass the file (resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5)
 * with --weights; when neither works the example says why and falls back to weights: null (random
 * initialization): the recipe runs the same, but a frozen random base gives random features,
 * so expect far lower accuracy.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as capa from 'capa';

const { GlobalAveragePooling2D, Dense, Dropout } = capa.layers;
const { ImageDataGenerator } = capa.preprocessing.image;
const { ModelCheckpoint } = capa.callbacks;
const { classificationReport, confusionMatrix } = capa.metrics;

capa.setSeed(1);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { weights: { type: 'string' }, epochs: { type: 'string', default: '5' }, size: { type: 'string', default: '64' } },
});
const epochs = Number(values.epochs);
const size = Number(values.size);

/** A small image folder from MNIST (class sub-folders 0, 1, 2), for trying the recipe offline. */
async function smallDigitFolder(perClass: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'capa-transfer-'));
  const [[x, y]] = await capa.datasets.mnist.loadData();
  const labels = y.dataSync();
  const counts = [0, 0, 0];
  for (let i = 0; i < labels.length && counts.some((c) => c < perClass); i++) {
    const digit = labels[i]!;
    if (digit > 2 || counts[digit]! >= perClass) continue;
    mkdirSync(join(dir, String(digit)), { recursive: true });
    const image = capa.ops.slice(x, [i, 0, 0], [1, 28, 28]).reshape([28, 28, 1]);
    await capa.preprocessing.image.saveImg(join(dir, String(digit), `${i}.png`), image, { scale: false });
    counts[digit]!++;
  }
  return dir;
}

const dataDir = positionals[0] ?? (await smallDigitFolder(60));
console.log(`Images: ${dataDir}`);

// --- The base model: ResNet50 without its classifier, with ImageNet weights when we can get them. ---
const inputShape = [size, size, 3];
let baseModel: capa.Model;
let pretrained = true;
if (values.weights !== undefined) {
  // A weights file given by hand must load.
  baseModel = await capa.applications.ResNet50({ weights: values.weights, includeTop: false, inputShape });
} else {
  try {
    // 'imagenet' reads ~/.capa/models, or downloads Keras's file when the network allows.
    baseModel = await capa.applications.ResNet50({ weights: 'imagenet', includeTop: false, inputShape });
  } catch (error) {
    pretrained = false;
    console.log(`No ImageNet weights: ${(error as Error).message}`);
    console.log(
      'Going on with weights: null (random initialization): the recipe runs the same, but a frozen random base ' +
        'gives random features, so expect far lower accuracy than with ImageNet weights.',
    );
    baseModel = capa.applications.ResNet50({ weights: null, includeTop: false, inputShape });
  }
}

// --- The new classifier on top: GlobalAveragePooling2D, Dense, Dropout, softmax. ---
let x = baseModel.outputs[0]!;
x = new GlobalAveragePooling2D().apply(x);
x = new Dense(256, { activation: 'relu' }).apply(x);
x = new Dropout(0.5).apply(x);

// --- Data: one generator with ResNet50's preprocessing and a validation split. ---
const datagen = new ImageDataGenerator({
  preprocessingFunction: capa.applications.resnet50.preprocessInput,
  rotationRange: 10,
  widthShiftRange: 0.1,
  heightShiftRange: 0.1,
  validationSplit: 0.2,
  augmentValidation: false,
});
const trainGenerator = datagen.flowFromDirectory(dataDir, {
  targetSize: [size, size],
  batchSize: 16,
  subset: 'training',
  seed: 1,
});
const validationGenerator = datagen.flowFromDirectory(dataDir, {
  targetSize: [size, size],
  batchSize: 16,
  subset: 'validation',
  shuffle: false,
});
const numClasses = Object.keys(trainGenerator.classIndices).length;
const predictions = new Dense(numClasses, { activation: 'softmax' }).apply(x);
const model = new capa.Model({ inputs: baseModel.inputs[0]!, outputs: predictions });

// Freeze the pretrained layers: only the new classifier trains.
for (const layer of baseModel.layers) layer.trainable = false;

// Pretrained features are normalized by their BatchNormalization statistics; random ones are
// not, and come out hundreds of times larger, so the head needs a much smaller step.
const learningRate = pretrained ? 1e-3 : 1e-5;
model.compile({
  optimizer: new capa.optimizers.Adam({ learningRate }),
  loss: 'categorical_crossentropy',
  metrics: ['accuracy'],
});
model.summary({ lineLength: 110, positions: [0.4, 0.6, 0.7, 1] });

// --- Train, keeping the best model. ---
const checkpointPath = join(mkdtempSync(join(tmpdir(), 'capa-transfer-model-')), 'best_model.keras');
const checkpoint = new ModelCheckpoint({ filepath: checkpointPath, monitor: 'val_loss', saveBestOnly: true, verbose: 1 });
await model.fit(trainGenerator, {
  epochs,
  validationData: validationGenerator,
  callbacks: [checkpoint],
});

// --- Evaluate the best model on the validation images. ---
const best = await capa.models.loadModel(checkpointPath);
validationGenerator.reset();
const yProb = await best.predict(validationGenerator);
const yPred = capa.ops.argmax(yProb, -1);
const targetNames = Object.keys(validationGenerator.classIndices);
console.log('Confusion matrix');
console.log(confusionMatrix(validationGenerator.classes, yPred));
console.log('Classification report');
console.log(classificationReport(validationGenerator.classes, yPred, { targetNames }));
console.log(`Best model saved at ${checkpointPath}`);
