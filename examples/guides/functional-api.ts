/**
 * Keras's guide "The Functional API" (keras.io/guides/functional_api), translated line by line to
 * TypeScript. Each section is a function so the tests (test/guides/functional-api.test.ts) can run
 * it on small data; run the whole guide with
 *
 *   npx tsx examples/guides/functional-api.ts
 *
 * Where the guide downloads MNIST / CIFAR-10, this translation trains on synthetic data of the
 * same shapes (nothing is downloaded). Where the guide uses a layer capa does not have yet, the
 * substitute is marked "capa:" in a comment; everything else is the guide's code.
 */
import * as capa from 'capa';
import { applications, Input, layers, losses, Model, optimizers } from 'capa';

/** Keras's `np.random.randint(high, size=shape)` on capa's seeded generator, as int32. */
export function randint(high: number, shape: number[]): capa.Tensor {
  const u = capa.randomUniform(shape, { minval: 0, maxval: high }).dataSync();
  return capa.tensor(
    Int32Array.from(u, (v) => Math.min(high - 1, Math.floor(v))),
    shape,
  );
}

// ---- Introduction: a model with three layers ----

export function mnistModel(): capa.Model {
  const inputs = Input({ shape: [784] });
  const dense = new layers.Dense(64, { activation: 'relu' });
  let x = dense.apply(inputs);
  x = new layers.Dense(64, { activation: 'relu' }).apply(x);
  const outputs = new layers.Dense(10).apply(x);
  return new Model({ inputs, outputs, name: 'mnist_model' });
}

/** "Training, evaluation, and inference", on `samples` synthetic 28x28 images (the guide: MNIST). */
export async function trainMnist(model: capa.Model, samples: number, epochs = 2) {
  const xTrain = capa.randomUniform([samples, 784]);
  // labels from a fixed rule of the pixels, so there is something to learn
  const yTrain = capa.ops.argmax(capa.ops.matmul(xTrain, capa.randomNormal([784, 10], { seed: 7 })), 1);
  model.compile({
    loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer: new optimizers.RMSprop(),
    metrics: ['accuracy'],
  });
  const history = await model.fit(xTrain, yTrain, { batchSize: 64, epochs, validationSplit: 0.2, verbose: 0 });
  const testScores = await model.evaluate(xTrain, yTrain, { verbose: 0 });
  return { history, testScores, xTrain };
}

// ---- All models are callable, just like layers: an ensemble ----

function getModel(): capa.Model {
  const inputs = Input({ shape: [128] });
  const outputs = new layers.Dense(1).apply(inputs);
  return new Model(inputs, outputs);
}

export function ensembleModel(): capa.Model {
  const model1 = getModel();
  const model2 = getModel();
  const model3 = getModel();

  const inputs = Input({ shape: [128] });
  const y1 = model1.apply(inputs);
  const y2 = model2.apply(inputs);
  const y3 = model3.apply(inputs);
  const outputs = new layers.Average().apply([y1, y2, y3]);
  return new Model({ inputs, outputs });
}

// ---- Manipulate complex graph topologies: models with multiple inputs and outputs ----

export const numTags = 12; // Number of unique issue tags
export const numWords = 10000; // Size of vocabulary obtained when preprocessing text data
export const numDepartments = 4; // Number of departments for predictions

export function ticketModel(): capa.Model {
  const titleInput = Input({ shape: [null], dtype: 'int32', name: 'title' }); // Variable-length sequence of ints
  const bodyInput = Input({ shape: [null], dtype: 'int32', name: 'body' }); // Variable-length sequence of ints
  const tagsInput = Input({ shape: [numTags], name: 'tags' }); // Binary vectors of size `numTags`

  // Embed each word in the title into a 64-dimensional vector
  let titleFeatures = new layers.Embedding(numWords, 64).apply(titleInput);
  // Embed each word in the text into a 64-dimensional vector
  let bodyFeatures = new layers.Embedding(numWords, 64).apply(bodyInput);

  // Reduce sequence of embedded words in the title into a single 128-dimensional vector
  titleFeatures = new layers.LSTM(128).apply(titleFeatures);
  // Reduce sequence of embedded words in the body into a single 32-dimensional vector
  bodyFeatures = new layers.LSTM(32).apply(bodyFeatures);

  // Merge all available features into a single large vector via concatenation
  const x = layers.concatenate([titleFeatures, bodyFeatures, tagsInput]);

  // Stick a logistic regression for priority prediction on top of the features
  const priorityPred = new layers.Dense(1, { name: 'priority' }).apply(x);
  // Stick a department classifier on top of the features
  const departmentPred = new layers.Dense(numDepartments, { name: 'department' }).apply(x);

  // Instantiate an end-to-end model predicting both priority and department
  return new Model({
    inputs: [titleInput, bodyInput, tagsInput],
    outputs: { priority: priorityPred, department: departmentPred },
  });
}

/** The guide's dummy data (it uses 1280 samples, titles of 10 words and bodies of 100). */
export function ticketData(samples: number, titleLength = 10, bodyLength = 100) {
  const titleData = randint(numWords, [samples, titleLength]);
  const bodyData = randint(numWords, [samples, bodyLength]);
  const tagsData = capa.ops.cast(randint(2, [samples, numTags]), 'float32');
  // Dummy target data
  const priorityTargets = capa.randomUniform([samples, 1]);
  const deptTargets = randint(2, [samples, numDepartments]);
  return { titleData, bodyData, tagsData, priorityTargets, deptTargets };
}

export async function trainTicketModel(model: capa.Model, data: ReturnType<typeof ticketData>, epochs = 2) {
  // The guide first compiles with lists, one loss per output...
  model.compile({
    optimizer: new optimizers.RMSprop({ learningRate: 1e-3 }),
    loss: [new losses.BinaryCrossentropy({ fromLogits: true }), new losses.CategoricalCrossentropy({ fromLogits: true })],
    lossWeights: [1.0, 0.2],
  });
  // ...then, since the output layers have names, by name:
  model.compile({
    optimizer: new optimizers.RMSprop({ learningRate: 1e-3 }),
    loss: {
      priority: new losses.BinaryCrossentropy({ fromLogits: true }),
      department: new losses.CategoricalCrossentropy({ fromLogits: true }),
    },
    lossWeights: { priority: 1.0, department: 0.2 },
  });
  return model.fit(
    { title: data.titleData, body: data.bodyData, tags: data.tagsData },
    { priority: data.priorityTargets, department: data.deptTargets },
    { epochs, batchSize: 32, verbose: 0 },
  );
}

// ---- A toy ResNet model ----

export function toyResnet(): capa.Model {
  const inputs = Input({ shape: [32, 32, 3], name: 'img' });
  let x = new layers.Conv2D(32, 3, { activation: 'relu' }).apply(inputs);
  x = new layers.Conv2D(64, 3, { activation: 'relu' }).apply(x);
  const block1Output = new layers.MaxPooling2D(3).apply(x);

  x = new layers.Conv2D(64, 3, { activation: 'relu', padding: 'same' }).apply(block1Output);
  x = new layers.Conv2D(64, 3, { activation: 'relu', padding: 'same' }).apply(x);
  const block2Output = layers.add([x, block1Output]);

  x = new layers.Conv2D(64, 3, { activation: 'relu', padding: 'same' }).apply(block2Output);
  x = new layers.Conv2D(64, 3, { activation: 'relu', padding: 'same' }).apply(x);
  const block3Output = layers.add([x, block2Output]);

  x = new layers.Conv2D(64, 3, { activation: 'relu' }).apply(block3Output);
  x = new layers.GlobalAveragePooling2D().apply(x);
  x = new layers.Dense(256, { activation: 'relu' }).apply(x);
  x = new layers.Dropout(0.5).apply(x);
  const outputs = new layers.Dense(10).apply(x);

  return new Model(inputs, outputs, { name: 'toy_resnet' });
}

/**
 * The guide's data is CIFAR-10 (`x / 255`, `to_categorical(y, 10)`); this is synthetic data of
 * the same shapes, labelled by a fixed rule of each image's mean colour so there is something to learn.
 */
export function cifarLikeData(samples: number) {
  const xTrain = capa.randomUniform([samples, 32, 32, 3]);
  const means = capa.ops.mean(xTrain, [1, 2]);
  const classes = capa.ops.argmax(capa.ops.matmul(means, capa.randomNormal([3, 10], { seed: 5 })), 1);
  const yTrain = capa.utils.toCategorical(classes, 10);
  return { xTrain, yTrain };
}

export async function trainToyResnet(model: capa.Model, xTrain: capa.Tensor, yTrain: capa.Tensor) {
  model.compile({
    optimizer: new optimizers.RMSprop({ learningRate: 1e-3 }),
    loss: new losses.CategoricalCrossentropy({ fromLogits: true }),
    metrics: ['acc'],
  });
  // We restrict the data to the first 1000 samples so as to limit execution time
  return model.fit(xTrain, yTrain, { batchSize: 64, epochs: 1, validationSplit: 0.2, verbose: 0 });
}

// ---- Shared layers ----

export function sharedEmbeddingModel(): capa.Model {
  // Embedding for 1000 unique words mapped to 128-dimensional vectors
  const sharedEmbedding = new layers.Embedding(1000, 128);

  // Variable-length sequence of integers
  const textInputA = Input({ shape: [null], dtype: 'int32' });
  // Variable-length sequence of integers
  const textInputB = Input({ shape: [null], dtype: 'int32' });

  // Reuse the same layer to encode both inputs
  const encodedInputA = sharedEmbedding.apply(textInputA);
  const encodedInputB = sharedEmbedding.apply(textInputB);
  // (The guide stops here.) capa: as in Keras 2's guide, a shared LSTM then reads both sequences
  // with the same weights, and a model makes the shared layers' two calls visible.
  const sharedLstm = new layers.LSTM(32);
  return new Model([textInputA, textInputB], [sharedLstm.apply(encodedInputA), sharedLstm.apply(encodedInputB)]);
}

// ---- Extract and reuse nodes in the graph of layers ----

export async function featureExtraction(options: { includeTop?: boolean; inputShape?: number[] } = {}) {
  const vgg19 = await applications.VGG19(options);
  const featuresList = vgg19.layers.map((layer) => layer.output);
  const featExtractionModel = new Model({ inputs: vgg19.input, outputs: featuresList });
  const shape = (options.inputShape ?? [224, 224, 3]) as number[];
  const img = capa.randomUniform([1, ...shape]);
  const extractedFeatures = featExtractionModel.applyMulti(img);
  return { vgg19, featExtractionModel, extractedFeatures };
}

// ---- The whole guide ----

async function main(): Promise<void> {
  capa.setSeed(1337);
  const model = mnistModel();
  model.summary();
  const { testScores } = await trainMnist(model, 2000);
  console.log('Test loss:', testScores.loss);
  console.log('Test accuracy:', testScores.accuracy);

  ensembleModel().summary();

  const tickets = ticketModel();
  tickets.summary();
  await capa.utils.plotModel(tickets, 'multi_input_and_output_model.png', { showShapes: true });
  await trainTicketModel(tickets, ticketData(1280));

  const resnet = toyResnet();
  resnet.summary();
  await capa.utils.plotModel(resnet, 'mini_resnet.png', { showShapes: true });
  const cifar = cifarLikeData(1000);
  await trainToyResnet(resnet, cifar.xTrain, cifar.yTrain);

  sharedEmbeddingModel().summary();
  const { extractedFeatures } = await featureExtraction();
  console.log(`${extractedFeatures.length} feature maps, the last of shape [${extractedFeatures.at(-1)?.shape}]`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
