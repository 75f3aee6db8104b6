/**
 * Keras's guide "Making new layers and models via subclassing"
 * (keras.io/guides/making_new_layers_and_models_via_subclassing), translated section by section
 * to TypeScript. Python's `layer(x)` is `layer.apply(x)`, `ops.ones((2, 2))` is
 * `ops.ones([2, 2])`, and a GradientTape is `variableGrads(() => loss, variables)`.
 *
 *   npx tsx examples/guides/making-new-layers-and-models-via-subclassing.ts
 *
 * test/guides/subclassing-guide.test.ts runs every section and checks what the guide prints.
 */
import { fileURLToPath } from 'node:url';
import {
  type ConfigDict,
  datasets,
  Input,
  Layer,
  type LayerArgs,
  layers,
  losses,
  Model,
  ops,
  optimizers,
  regularizers,
  type SymbolicShape,
  type Tensor,
  type Variable,
  variableGrads,
} from 'capa';

// ---- The Layer class: the combination of state (weights) and some computation ----

export class Linear extends Layer {
  w: Variable;
  b: Variable;
  constructor(units = 32, inputDim = 32) {
    super();
    this.w = this.addWeight({ shape: [inputDim, units], initializer: 'random_normal', trainable: true });
    this.b = this.addWeight({ shape: [units], initializer: 'zeros', trainable: true });
  }
  override call(inputs: Tensor): Tensor {
    return ops.add(ops.matmul(inputs, this.w), this.b);
  }
}

// ---- Layers can have non-trainable weights ----

export class ComputeSum extends Layer {
  total: Variable;
  constructor(inputDim: number) {
    super();
    this.total = this.addWeight({ initializer: 'zeros', shape: [inputDim], trainable: false });
  }
  override call(inputs: Tensor): Tensor {
    this.total.assign(ops.add(this.total, ops.sum(inputs, 0)));
    return this.total;
  }
}

// ---- Best practice: deferring weight creation until the shape of the inputs is known ----

export interface LinearConfig extends LayerArgs {
  units?: number;
}

export class LazyLinear extends Layer {
  units: number;
  w: Variable | null = null;
  b: Variable | null = null;
  constructor({ units = 32, ...kwargs }: LinearConfig = {}) {
    super(kwargs);
    this.units = units;
  }
  override build(inputShape: SymbolicShape): void {
    this.w = this.addWeight({
      shape: [inputShape.at(-1) as number, this.units],
      initializer: 'random_normal',
      trainable: true,
    });
    this.b = this.addWeight({ shape: [this.units], initializer: 'random_normal', trainable: true });
  }
  override call(inputs: Tensor): Tensor {
    return ops.add(ops.matmul(inputs, this.w as Variable), this.b as Variable);
  }
  // ---- You can optionally enable serialization on your layers ----
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}

// ---- Layers are recursively composable ----

export class MLPBlock extends Layer {
  linear1 = new LazyLinear({ units: 32 });
  linear2 = new LazyLinear({ units: 32 });
  linear3 = new LazyLinear({ units: 1 });
  override call(inputs: Tensor): Tensor {
    let x = this.linear1.apply(inputs);
    x = ops.relu(x);
    x = this.linear2.apply(x);
    x = ops.relu(x);
    return this.linear3.apply(x);
  }
}

// ---- The add_loss() method ----

/** A layer that creates an activity regularization loss. */
export class ActivityRegularizationLayer extends Layer {
  rate: number;
  constructor(rate = 1e-2) {
    super();
    this.rate = rate;
  }
  override call(inputs: Tensor): Tensor {
    this.addLoss(ops.mul(ops.mean(inputs), this.rate));
    return inputs;
  }
}

export class OuterLayer extends Layer {
  activityReg = new ActivityRegularizationLayer(1e-2);
  override call(inputs: Tensor): Tensor {
    return this.activityReg.apply(inputs);
  }
}

export class OuterLayerWithKernelRegularizer extends Layer {
  dense = new layers.Dense(32, { kernelRegularizer: regularizers.l2(1e-3) });
  override call(inputs: Tensor): Tensor {
    return this.dense.apply(inputs);
  }
}

// ---- Privileged training argument in the call() method ----

export class CustomDropout extends Layer {
  rate: number;
  constructor(rate: number, kwargs: LayerArgs = {}) {
    super(kwargs);
    this.rate = rate;
  }
  override call(inputs: Tensor, { training }: { training?: boolean }): Tensor {
    if (training) return ops.dropout(inputs, this.rate);
    return inputs;
  }
}

// ---- Putting it all together: an end-to-end example (a Variational AutoEncoder) ----

/** Uses (zMean, zLogVar) to sample z, the vector encoding a digit. */
export class Sampling extends Layer {
  override callMulti([zMean, zLogVar]: Tensor[]): Tensor[] {
    const epsilon = ops.randomNormal((zMean as Tensor).shape);
    return [ops.add(zMean as Tensor, ops.mul(ops.exp(ops.mul(zLogVar as Tensor, 0.5)), epsilon))];
  }
}

/** Maps MNIST digits to a triplet (zMean, zLogVar, z). */
export class Encoder extends Layer {
  denseProj: layers.Dense;
  denseMean: layers.Dense;
  denseLogVar: layers.Dense;
  sampling = new Sampling();
  constructor({ latentDim = 32, intermediateDim = 64, name = 'encoder' } = {}) {
    super({ name });
    this.denseProj = new layers.Dense(intermediateDim, { activation: 'relu' });
    this.denseMean = new layers.Dense(latentDim);
    this.denseLogVar = new layers.Dense(latentDim);
  }
  override callMulti([inputs]: Tensor[]): Tensor[] {
    const x = this.denseProj.apply(inputs as Tensor);
    const zMean = this.denseMean.apply(x);
    const zLogVar = this.denseLogVar.apply(x);
    const z = this.sampling.apply([zMean, zLogVar]);
    return [zMean, zLogVar, z];
  }
}

/** Converts z, the encoded digit vector, back into a readable digit. */
export class Decoder extends Layer {
  denseProj: layers.Dense;
  denseOutput: layers.Dense;
  constructor({ originalDim = 784, intermediateDim = 64, name = 'decoder' } = {}) {
    super({ name });
    this.denseProj = new layers.Dense(intermediateDim, { activation: 'relu' });
    this.denseOutput = new layers.Dense(originalDim, { activation: 'sigmoid' });
  }
  override call(inputs: Tensor): Tensor {
    const x = this.denseProj.apply(inputs);
    return this.denseOutput.apply(x);
  }
}

export interface VaeConfig {
  originalDim?: number;
  intermediateDim?: number;
  latentDim?: number;
  name?: string;
  /**
   * (not in the guide) Weight of the KL term. The guide's 1 sets a per-latent mean against a
   * per-pixel mean: on a short training the KL term wins and every digit decodes to the average
   * digit (posterior collapse). A weight of 0.01 on 4,096 digits gives each digit its own
   * reconstruction (test/guides/subclassing-guide.test.ts).
   */
  klWeight?: number;
}

/** Combines the encoder and decoder into an end-to-end model for training. */
export class VariationalAutoEncoder extends Model {
  originalDim: number;
  intermediateDim: number;
  latentDim: number;
  klWeight: number;
  encoder: Encoder;
  decoder: Decoder;
  constructor({ originalDim = 784, intermediateDim = 64, latentDim = 32, name = 'autoencoder', klWeight = 1 }: VaeConfig = {}) {
    super({ name });
    this.klWeight = klWeight;
    this.originalDim = originalDim;
    this.intermediateDim = intermediateDim;
    this.latentDim = latentDim;
    this.encoder = new Encoder({ latentDim, intermediateDim });
    this.decoder = new Decoder({ originalDim, intermediateDim });
  }
  override call(inputs: Tensor): Tensor {
    const [zMean, zLogVar, z] = this.encoder.applyMulti(inputs) as [Tensor, Tensor, Tensor];
    const reconstructed = this.decoder.apply(z);
    // Add KL divergence regularization loss.
    const klLoss = ops.mul(ops.mean(ops.add(ops.sub(ops.sub(zLogVar, ops.square(zMean)), ops.exp(zLogVar)), 1)), -0.5);
    this.addLoss(this.klWeight === 1 ? klLoss : ops.mul(klLoss, this.klWeight));
    return reconstructed;
  }
  // (not in the guide) what the whole-model save needs: the constructor's arguments
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      originalDim: this.originalDim,
      intermediateDim: this.intermediateDim,
      latentDim: this.latentDim,
      klWeight: this.klWeight,
    };
  }
}

/** MNIST digits as floats in [0, 1], [n, 784] (the guide's `x_train.reshape(60000, 784).astype("float32") / 255`). */
export async function mnistDigits(count: number): Promise<Tensor> {
  const [[xTrain]] = await datasets.mnist.loadData();
  const n = Math.min(count, xTrain.shape[0] as number);
  return ops.div(ops.slice(xTrain.reshape([xTrain.shape[0] as number, 784]), [0, 0], [n, 784]), 255);
}

/** The guide's custom training loop for the VAE: returns the mean loss of each epoch's last step. */
export async function trainVaeWithCustomLoop(
  vae: VariationalAutoEncoder,
  xTrain: Tensor,
  { epochs = 2, batchSize = 64, log = console.log }: { epochs?: number; batchSize?: number; log?: (line: string) => void } = {},
): Promise<number[]> {
  const optimizer = new optimizers.Adam({ learningRate: 1e-3 });
  const mseLossFn = new losses.MeanSquaredError();
  const lossMetric: { total: number; count: number } = { total: 0, count: 0 };
  const means: number[] = [];
  const n = xTrain.shape[0] as number;
  for (let epoch = 0; epoch < epochs; epoch++) {
    log(`Start of epoch ${epoch}`);
    for (let start = 0, step = 0; start < n; start += batchSize, step++) {
      const xBatchTrain = ops.slice(xTrain, [start, 0], [Math.min(batchSize, n - start), 784]);
      const { value: loss, grads } = variableGrads(
        () => {
          const reconstructed = vae.apply(xBatchTrain);
          // Compute reconstruction loss, then add the KLD regularization loss.
          let total = mseLossFn.apply(xBatchTrain, reconstructed);
          for (const l of vae.losses) total = ops.add(total, l);
          return total;
        },
        // read after the first call has built the model (Keras's tape.gradient(loss, vae.trainable_weights))
        () => vae.trainableWeights,
      );
      optimizer.applyGradients(vae.trainableWeights.map((v, i) => [grads[i] ?? null, v] as const));
      lossMetric.total += loss.item();
      lossMetric.count += 1;
      if (step % 100 === 0) log(`step ${step}: mean loss = ${(lossMetric.total / lossMetric.count).toFixed(4)}`);
    }
    means.push(lossMetric.total / lossMetric.count);
  }
  return means;
}

async function main(): Promise<void> {
  const x = ops.ones([2, 2]);
  const linearLayer = new Linear(4, 2);
  console.log(linearLayer.apply(x).toString());
  console.log('weights:', linearLayer.weights.length);

  const mySum = new ComputeSum(2);
  console.log(mySum.apply(x).toString());
  console.log(mySum.apply(x).toString());
  console.log('weights:', mySum.weights.length, 'non-trainable weights:', mySum.nonTrainableWeights.length);

  const mlp = new MLPBlock();
  mlp.apply(ops.ones([3, 64]));
  console.log('weights:', mlp.weights.length, 'trainable weights:', mlp.trainableWeights.length);

  const inputs = Input({ shape: [3] });
  const outputs = new ActivityRegularizationLayer().apply(inputs);
  const model = new Model({ inputs, outputs });
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit(ops.randomUniform([2, 3]), ops.randomUniform([2, 3]));
  model.compile({ optimizer: 'adam' });
  await model.fit(ops.randomUniform([2, 3]), ops.randomUniform([2, 3]));

  const xTrain = await mnistDigits(60000);
  const vae = new VariationalAutoEncoder({ originalDim: 784, intermediateDim: 64, latentDim: 32 });
  await trainVaeWithCustomLoop(vae, xTrain);
  // the same model trained with fit: addLoss's KL term joins compile's loss
  vae.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: new losses.MeanSquaredError() });
  await vae.fit(xTrain, xTrain, { epochs: 2, batchSize: 64 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
