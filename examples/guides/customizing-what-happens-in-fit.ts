/**
 * Keras's guide "Customizing what happens in fit()" (keras.io/guides/customizing_what_happens_in_fit),
 * translated section by section to TypeScript: `trainStep` overridden with the compiled loss and
 * metrics, the lower-level step with its own loss and trackers (no loss in compile), a custom
 * `testStep`, and the GAN on MNIST. A GradientTape is `variableGrads(() => loss, variables)`;
 * `zip(grads, vars)` is `vars.map((v, i) => [grads[i], v])`.
 *
 *   npx tsx examples/guides/customizing-what-happens-in-fit.ts
 *
 * test/guides/fit-guide.test.ts runs each section on small data and checks what the guide shows.
 */
import { fileURLToPath } from 'node:url';
import {
  datasets,
  Input,
  layers,
  losses,
  Model,
  type ModelArgs,
  metrics,
  ones,
  ops,
  optimizers,
  randomNormal,
  randomUniform,
  Sequential,
  type StepData,
  type Tensor,
  type Variable,
  variableGrads,
  zeros,
} from 'capa';

const { concat } = ops;
type Loss = losses.Loss;
type Optimizer = optimizers.Optimizer;

/** `optimizer.apply_gradients(zip(gradients, trainable_vars))`. */
function zip(grads: (Tensor | null)[], vars: Variable[]): [Tensor | null, Variable][] {
  return vars.map((v, i) => [grads[i] ?? null, v]);
}

// ---- A first simple example ----

export class CustomModel extends Model {
  override trainStep(data: StepData) {
    // Unpack the data. Its structure depends on your model and on what you pass to `fit()`.
    const [x, y] = data;
    let yPred: Tensor | null = null;
    const trainableVars = this.trainableWeights;
    const { value: loss, grads: gradients } = variableGrads(() => {
      yPred = this.apply(x as Tensor, { training: true }); // Forward pass
      // Compute the loss value (the loss function is configured in `compile()`)
      return this.computeLoss({ y, yPred });
    }, trainableVars);
    // Update weights
    this.optimizer?.applyGradients(zip(gradients, trainableVars));
    // Update metrics (includes the metric that tracks the loss)
    for (const metric of this.metrics) {
      if (metric.name === 'loss') metric.updateState(loss);
      else metric.updateState(y as Tensor, yPred as unknown as Tensor);
    }
    // Return a dict mapping metric names to current value
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
  }
}

/** Construct and compile an instance of CustomModel: `CustomModel(inputs, outputs)`. */
export function firstSimpleExample(): CustomModel {
  const inputs = Input({ shape: [32] });
  const outputs = new layers.Dense(1).apply(inputs);
  const model = new CustomModel({ inputs, outputs });
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  return model;
}

// ---- Going lower-level ----

export class LowLevelModel extends Model {
  lossTracker = new metrics.Mean({ name: 'loss' });
  maeMetric = new metrics.MeanAbsoluteError({ name: 'mae' });
  lossFn = new losses.MeanSquaredError();

  constructor(args: ModelArgs) {
    super(args);
  }

  override trainStep(data: StepData) {
    const [x, y] = data;
    let yPred: Tensor | null = null;
    const trainableVars = this.trainableWeights;
    const { value: loss, grads: gradients } = variableGrads(() => {
      yPred = this.apply(x as Tensor, { training: true }); // Forward pass
      // Compute our own loss
      return this.lossFn.apply(y as Tensor, yPred);
    }, trainableVars);
    this.optimizer?.applyGradients(zip(gradients, trainableVars));
    // Compute our own metrics
    this.lossTracker.updateState(loss);
    this.maeMetric.updateState(y as Tensor, yPred as unknown as Tensor);
    return { loss: this.lossTracker.result(), mae: this.maeMetric.result() };
  }

  /**
   * We list our `Metric` objects here so that `resetState()` can be called automatically at the
   * start of each epoch or at the start of `evaluate()`.
   */
  override get metrics() {
    return [this.lossTracker, this.maeMetric];
  }
}

export function lowLevelExample(): LowLevelModel {
  const inputs = Input({ shape: [32] });
  const outputs = new layers.Dense(1).apply(inputs);
  const model = new LowLevelModel({ inputs, outputs });
  // We don't pass a loss or metrics here.
  model.compile({ optimizer: 'adam' });
  return model;
}

// ---- Providing your own evaluation step ----

export class EvaluatingModel extends Model {
  override testStep(data: StepData) {
    const [x, y] = data;
    const yPred = this.apply(x as Tensor, { training: false });
    const loss = this.computeLoss({ y, yPred });
    for (const metric of this.metrics) {
      if (metric.name === 'loss') metric.updateState(loss);
      else metric.updateState(y as Tensor, yPred);
    }
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
  }
}

export function evaluationExample(): EvaluatingModel {
  const inputs = Input({ shape: [32] });
  const outputs = new layers.Dense(1).apply(inputs);
  const model = new EvaluatingModel({ inputs, outputs });
  model.compile({ loss: 'mse', metrics: ['mae'] });
  return model;
}

// ---- Wrapping up: an end-to-end GAN example ----

/**
 * The guide's discriminator and generator; `filters` scales their widths (the guide's are 64 and
 * 128) so the test trains one on CPU in seconds.
 */
export function ganNetworks(latentDim = 128, filters = 64): { discriminator: Sequential; generator: Sequential } {
  const discriminator = new Sequential(
    [
      new layers.InputLayer({ inputShape: [28, 28, 1] }),
      new layers.Conv2D(filters, [3, 3], { strides: [2, 2], padding: 'same' }),
      new layers.LeakyReLU({ negativeSlope: 0.2 }),
      new layers.Conv2D(filters * 2, [3, 3], { strides: [2, 2], padding: 'same' }),
      new layers.LeakyReLU({ negativeSlope: 0.2 }),
      new layers.GlobalMaxPooling2D(),
      new layers.Dense(1),
    ],
    { name: 'discriminator' },
  );
  const generator = new Sequential(
    [
      new layers.InputLayer({ inputShape: [latentDim] }),
      // We want to generate 128 coefficients to reshape into a 7x7x128 map
      new layers.Dense(7 * 7 * filters * 2),
      new layers.LeakyReLU({ negativeSlope: 0.2 }),
      new layers.Reshape([7, 7, filters * 2]),
      new layers.Conv2DTranspose(filters * 2, [4, 4], { strides: [2, 2], padding: 'same' }),
      new layers.LeakyReLU({ negativeSlope: 0.2 }),
      new layers.Conv2DTranspose(filters * 2, [4, 4], { strides: [2, 2], padding: 'same' }),
      new layers.LeakyReLU({ negativeSlope: 0.2 }),
      new layers.Conv2D(1, [7, 7], { padding: 'same', activation: 'sigmoid' }),
    ],
    { name: 'generator' },
  );
  return { discriminator, generator };
}

export interface GanCompileArgs {
  dOptimizer: Optimizer;
  gOptimizer: Optimizer;
  lossFn: Loss;
}

export class GAN extends Model {
  dLossTracker = new metrics.Mean({ name: 'd_loss' });
  gLossTracker = new metrics.Mean({ name: 'g_loss' });
  dOptimizer: Optimizer | null = null;
  gOptimizer: Optimizer | null = null;
  lossFn: Loss | null = null;

  constructor(
    readonly discriminator: Sequential,
    readonly generator: Sequential,
    readonly latentDim: number,
  ) {
    super();
  }

  override get metrics() {
    return [this.dLossTracker, this.gLossTracker];
  }

  /** The guide's `compile(d_optimizer, g_optimizer, loss_fn)`, which calls `super().compile()`. */
  compileGan({ dOptimizer, gOptimizer, lossFn }: GanCompileArgs): void {
    super.compile();
    this.dOptimizer = dOptimizer;
    this.gOptimizer = gOptimizer;
    this.lossFn = lossFn;
  }

  override trainStep(data: StepData) {
    const [realImages] = data as [Tensor];
    const lossFn = this.lossFn as Loss;
    // Sample random points in the latent space
    const batchSize = realImages.shape[0] as number;
    let randomLatentVectors = randomNormal([batchSize, this.latentDim]);
    // Decode them to fake images
    const generatedImages = this.generator.apply(randomLatentVectors);
    // Combine them with real images
    const combinedImages = concat([generatedImages, realImages], 0);
    // Assemble labels discriminating real from fake images
    let labels = concat([ones([batchSize, 1]), zeros([batchSize, 1])], 0);
    // Add random noise to the labels - important trick!
    labels = ops.add(labels, ops.mul(randomUniform(labels.shape), 0.05));
    // Train the discriminator
    const dVars = this.discriminator.trainableWeights;
    const { value: dLoss, grads: dGrads } = variableGrads(() => {
      const predictions = this.discriminator.apply(combinedImages);
      return lossFn.apply(labels, predictions);
    }, dVars);
    this.dOptimizer?.applyGradients(zip(dGrads, dVars));
    // Sample random points in the latent space
    randomLatentVectors = randomNormal([batchSize, this.latentDim]);
    // Assemble labels that say "all real images"
    const misleadingLabels = zeros([batchSize, 1]);
    // Train the generator (note that we should *not* update the weights of the discriminator)!
    const gVars = this.generator.trainableWeights;
    const { value: gLoss, grads: gGrads } = variableGrads(() => {
      const predictions = this.discriminator.apply(this.generator.apply(randomLatentVectors));
      return lossFn.apply(misleadingLabels, predictions);
    }, gVars);
    this.gOptimizer?.applyGradients(zip(gGrads, gVars));
    // Update metrics and return their value.
    this.dLossTracker.updateState(dLoss);
    this.gLossTracker.updateState(gLoss);
    return { d_loss: this.dLossTracker.result(), g_loss: this.gLossTracker.result() };
  }
}

/** MNIST train and test digits together, floats in [0, 1], [n, 28, 28, 1] (the guide's `all_digits`). */
export async function allDigits(count: number): Promise<Tensor> {
  const [[xTrain], [xTest]] = await datasets.mnist.loadData();
  const digits = concat([xTrain, xTest], 0);
  const n = Math.min(count, digits.shape[0] as number);
  return ops.div(ops.slice(digits, [0, 0, 0], [n, 28, 28]).reshape([n, 28, 28, 1]), 255);
}

export async function trainGan(
  digits: Tensor,
  { latentDim = 128, filters = 64, batchSize = 64, verbose = 1 as 0 | 1 } = {},
): Promise<GAN> {
  const { discriminator, generator } = ganNetworks(latentDim, filters);
  const gan = new GAN(discriminator, generator, latentDim);
  gan.compileGan({
    dOptimizer: new optimizers.Adam({ learningRate: 0.0003 }),
    gOptimizer: new optimizers.Adam({ learningRate: 0.0003 }),
    lossFn: new losses.BinaryCrossentropy({ fromLogits: true }),
  });
  // To limit the execution time, we only train on 100 batches. You can train on the entire dataset.
  await gan.fit(digits, { epochs: 1, batchSize, shuffle: true, verbose });
  return gan;
}

async function main(): Promise<void> {
  // Just use `fit` as usual
  let model = firstSimpleExample();
  const x = randomUniform([1000, 32]);
  const y = randomUniform([1000, 1]);
  await model.fit(x, y, { epochs: 3 });

  const low = lowLevelExample();
  await low.fit(x, y, { epochs: 5 });

  const evaluating = evaluationExample();
  await evaluating.evaluate(x, y);
  model = firstSimpleExample();

  await trainGan(await allDigits(100 * 64));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
