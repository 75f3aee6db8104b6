/**
 * Time-series forecasting with an LSTM (keras.io "Timeseries forecasting for weather prediction",
 * on a synthetic series so it runs offline): an hourly signal with a daily and a weekly cycle, a
 * slow trend and autocorrelated noise, all from a fixed seed. The model reads the last 48 hours
 * and predicts the value 12 hours after the last one. Windows come from
 * `utils.timeseriesDatasetFromArray`; the first 70% of the series trains, the rest validates.
 *
 * The bar to beat is the naive forecast "the value 12 hours from now is the last one seen". Half
 * a day ahead the daily cycle has turned, so the naive forecast is poor; the LSTM must learn the
 * cycles from the window to beat it. The seasonal naive forecast (the same hour the day before)
 * is printed too, a harder bar.
 *
 *   npx tsx examples/timeseries-forecasting.ts        (EPOCHS=10 by default)
 *
 * test/examples/timeseries-forecasting.test.ts trains it briefly and compares the two.
 */
import { fileURLToPath } from 'node:url';
import { getBackend, Input, layers, Model, optimizers, setSeed, Tensor, utils } from 'capa';
import { seededRandom } from './lib/seeded-random.js';

export interface SeriesOptions {
  length?: number;
  seed?: number;
  /** Standard deviation of the noise innovations. */
  noise?: number;
}

/** An hourly synthetic series: daily and weekly cycles, a slow trend, AR(1) noise (Box-Muller normals). */
export function syntheticSeries({ length = 6000, seed = 11, noise = 0.3 }: SeriesOptions = {}): Float32Array {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out = new Float32Array(length);
  let ar = 0;
  for (let t = 0; t < length; t++) {
    ar = 0.8 * ar + noise * normal();
    out[t] =
      2 * Math.sin((2 * Math.PI * t) / 24) +
      Math.sin((2 * Math.PI * t) / (24 * 7) + 1) +
      0.5 * Math.sin((2 * Math.PI * t) / 12) +
      t / length +
      ar;
  }
  return out;
}

export interface ForecastSetup {
  /** Hours the model reads. */
  past?: number;
  /** How many hours after the last one read the target lies. */
  future?: number;
  trainFraction?: number;
  batchSize?: number;
  seed?: number;
}

export interface ForecastData {
  train: utils.TimeseriesDataset;
  val: utils.TimeseriesDataset;
  past: number;
  future: number;
  /** Mean and standard deviation of the training part, used to normalize the whole series. */
  mean: number;
  std: number;
}

/**
 * Normalize with the training part's statistics and cut both parts into windows: window i reads
 * series[i .. i+past-1], its target is series[i+past-1+future] (Keras's example offsets the
 * targets by past+future the same way).
 */
export function forecastDatasets(series: Float32Array, setup: ForecastSetup = {}): ForecastData {
  const { past = 48, future = 12, trainFraction = 0.7, batchSize = 64, seed = 3 } = setup;
  const split = Math.floor(series.length * trainFraction);
  const trainPart = series.subarray(0, split);
  const mean = trainPart.reduce((a, b) => a + b, 0) / split;
  const std = Math.sqrt(trainPart.reduce((a, b) => a + (b - mean) ** 2, 0) / split);
  const normalized = series.map((v) => (v - mean) / std);
  const windows = (part: Float32Array, shuffle: boolean) => {
    const inputs = new Tensor(part.slice(0, part.length - future), [part.length - future, 1]);
    const targets = new Tensor(part.slice(past - 1 + future), [part.length - (past - 1 + future), 1]);
    return utils.timeseriesDatasetFromArray(inputs, targets, past, { batchSize, shuffle, seed });
  };
  return {
    train: windows(normalized.subarray(0, split), true),
    val: windows(normalized.subarray(split), false),
    past,
    future,
    mean,
    std,
  };
}

export function forecastModel(past: number, units = 32): Model {
  const inputs = Input({ shape: [past, 1], name: 'past_hours' });
  const x = new layers.LSTM(units).apply(inputs);
  const outputs = new layers.Dense(1, { name: 'forecast' }).apply(x);
  return new Model({ inputs, outputs, name: 'lstm_forecaster' });
}

/**
 * MSE over a dataset's windows of a forecast made without learning: `pick(window)` returns the
 * forecast from the window's values (oldest first).
 */
export async function baselineMse(dataset: utils.TimeseriesDataset, pick: (window: Float32Array) => number): Promise<number> {
  let sum = 0;
  let count = 0;
  for await (const [x, y] of dataset) {
    const [batch, steps] = x.shape as [number, number];
    const xs = x.dataSync() as Float32Array;
    const ys = (y as Tensor).dataSync();
    for (let i = 0; i < batch; i++) {
      sum += (pick(xs.subarray(i * steps, (i + 1) * steps)) - (ys[i] as number)) ** 2;
      count++;
    }
  }
  return sum / count;
}

/** The naive forecast: the last value seen. */
export const lastValue = (window: Float32Array): number => window[window.length - 1] as number;

/** The seasonal naive forecast: the value one day (24 h) before the target, when the window reaches back that far. */
export const sameHourYesterday =
  (future: number) =>
  (window: Float32Array): number => {
    const index = window.length - 1 + future - 24;
    if (index < 0)
      throw new Error(`sameHourYesterday: a window of ${window.length} h does not reach 24 h before a target ${future} h ahead.`);
    return window[index] as number;
  };

export interface ForecastResult {
  model: Model;
  history: Record<string, number[]>;
  valMse: number;
  naiveMse: number;
  seasonalMse: number;
}

export async function trainForecaster(
  data: ForecastData,
  { epochs = 10, units = 32, verbose = 1 as 0 | 1 | 2, seed = 5 } = {},
): Promise<ForecastResult> {
  setSeed(seed);
  const model = forecastModel(data.past, units);
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: 'mse' });
  if (verbose) model.summary();
  const history = await model.fit(data.train, { epochs, validationData: data.val, verbose });
  const { loss } = await model.evaluate(data.val, { verbose: 0 });
  return {
    model,
    history: history.history,
    valMse: loss as number,
    naiveMse: await baselineMse(data.val, lastValue),
    seasonalMse: await baselineMse(data.val, sameHourYesterday(data.future)),
  };
}

async function main(): Promise<void> {
  const epochs = Number(process.env['EPOCHS'] ?? 10);
  const start = performance.now();
  const series = syntheticSeries();
  const data = forecastDatasets(series);
  const { valMse, naiveMse, seasonalMse } = await trainForecaster(data, { epochs });
  const seconds = (performance.now() - start) / 1000;
  console.log(`\nbackend: ${getBackend()}; ${series.length} hours, ${epochs} epochs in ${seconds.toFixed(1)} s`);
  console.log(`forecast ${data.future} h ahead from the last ${data.past} h (MSE on the normalized series, validation part):`);
  console.log(`  LSTM                      ${valMse.toFixed(4)}`);
  console.log(`  last value                ${naiveMse.toFixed(4)}`);
  console.log(`  same hour the day before  ${seasonalMse.toFixed(4)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
