/**
 * The user's notebook "Redes profundas" (Keras) in TypeScript, cell by cell: a Sequential of
 * Dense layers called on a random tensor, a deeper and a multiclass network, then VGG19 built
 * block by block, checking summary(), output shapes and parameter counts as the notebook does.
 *
 *   npx tsx examples/01-redes-profundas.ts
 *
 * The summaries print in the notebook's Keras 2 format, byte for byte (including the `=` rules
 * Keras prints, which the notebook's Markdown export dropped). Timings go to stderr.
 */
import * as capa from 'capa';
import { layers, Sequential } from 'capa';

const { Conv2D, Dense, Flatten, MaxPooling2D } = layers;

/** Python's repr of a shape tuple, as the notebook shows shapes. */
function pyShape(shape: readonly (number | null)[]): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}

function timed<T>(what: string, f: () => T): T {
  const start = performance.now();
  const out = f();
  console.error(`[${what}: ${((performance.now() - start) / 1000).toFixed(2)} s]`);
  return out;
}

/** Runs every cell; `print` receives what the notebook displays. */
export function runNotebook(print: (line: string) => void = (line) => console.log(line)): void {
  capa.clearSession();
  capa.setSeed(0);
  const summary = (model: capa.Model): void => {
    model.summary({ printFn: print });
  };

  // Cells the saved notebook does not show had already created `sequential_1` with two Dense
  // layers: its first model prints as dense_3 inside sequential_2. Recreate that state so the
  // automatic names match the notebook.
  new Sequential([new Dense(1, { inputDim: 100 }), new Dense(1)]);

  // In [4]: Red profunda simple
  let model = new Sequential();
  model.add(new Dense(1, { inputDim: 100, activation: 'sigmoid' }));
  summary(model);

  // In [5]: model(keras.backend.random_normal((1, 100)))
  const y = model.apply(capa.randomNormal([1, 100]));
  print(`<Tensor '${model.name}/${model.layers[0]?.name}/Sigmoid' shape=${pyShape(y.shape)} dtype=${y.dtype}>`);

  // In [6]: ¿Podemos convertirla en una red profunda?
  model = new Sequential();
  model.add(new Dense(100, { inputDim: 100, activation: 'sigmoid' }));
  model.add(new Dense(1, { inputDim: 100, activation: 'sigmoid' }));
  summary(model);

  // In [7]: ¿Y podemos convertirla en clasificación multiclase?
  model = new Sequential();
  model.add(new Dense(100, { inputDim: 100, activation: 'sigmoid' }));
  model.add(new Dense(10, { inputDim: 100, activation: 'softmax' }));
  summary(model);

  // VGG19, block by block.
  const modelVGG19 = new Sequential();
  const conv = (filters: number, first = false) =>
    new Conv2D(filters, [3, 3], {
      ...(first ? { inputShape: [224, 224, 3] } : {}),
      strides: [1, 1],
      activation: 'relu',
      padding: 'same',
    });
  const pool = () => new MaxPooling2D([2, 2], { strides: [2, 2] });

  // Primer bloque.
  modelVGG19.add(conv(64, true));
  modelVGG19.add(conv(64));
  modelVGG19.add(pool());

  // In [10]: segundo bloque.
  modelVGG19.add(conv(128));
  modelVGG19.add(conv(128));
  modelVGG19.add(pool());
  summary(modelVGG19);

  // In [11]: probamos modelo con "dummy" input (a real forward pass through blocks 1-2).
  const out = timed('VGG19 blocks 1-2 forward on 1x224x224x3', () => modelVGG19.apply(capa.randomNormal([1, 224, 224, 3])));
  print(pyShape(out.shape));

  // In [12]: tercer bloque.
  for (let i = 0; i < 4; i++) modelVGG19.add(conv(256));
  modelVGG19.add(pool());
  summary(modelVGG19);

  // In [13]
  print(pyShape(modelVGG19.outputShape));

  // Cuarto y quinto bloques (In [15]).
  for (let i = 0; i < 4; i++) modelVGG19.add(conv(512));
  modelVGG19.add(pool());
  for (let i = 0; i < 4; i++) modelVGG19.add(conv(512));
  modelVGG19.add(pool());
  summary(modelVGG19);
  print(pyShape(modelVGG19.outputShape));

  // Capas fully connected: aplanar (In [17]).
  modelVGG19.add(new Flatten());
  print(modelVGG19.outputShape[1] === 7 * 7 * 512 ? 'True' : 'False');

  // In [19]
  timed('Dense(4096) build (102,764,544 weights)', () => modelVGG19.add(new Dense(4096, { activation: 'relu' })));
  summary(modelVGG19);

  // In [21]
  modelVGG19.add(new Dense(4096, { activation: 'relu' }));
  modelVGG19.add(new Dense(1000, { activation: 'softmax' }));
  summary(modelVGG19);
}

const isMain =
  typeof process !== 'undefined' &&
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) timed('whole notebook', () => runNotebook());
