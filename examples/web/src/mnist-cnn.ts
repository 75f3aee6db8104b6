/** The page's MNIST convnet: small enough to train in a browser tab on the TypeScript backend. */
import * as capa from 'capa';

const { Conv2D, Dense, Flatten, MaxPooling2D } = capa.layers;

export function mnistCnn(): capa.Sequential {
  capa.setSeed(1);
  const model = new capa.Sequential([
    new Conv2D(8, [3, 3], { inputShape: [28, 28, 1], activation: 'relu' }),
    new MaxPooling2D([2, 2]),
    new Conv2D(16, [3, 3], { activation: 'relu' }),
    new MaxPooling2D([2, 2]),
    new Flatten(),
    new Dense(64, { activation: 'relu' }),
    new Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({
    optimizer: new capa.optimizers.Adam({ learningRate: 0.002 }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}
