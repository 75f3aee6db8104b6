/**
 * examples/timeseries-forecasting.ts trained for 3 epochs: the LSTM's validation MSE must beat the
 * naive last-value forecast (and the seasonal naive one), with windows and targets aligned as the
 * example says.
 */
import { describe, expect, it } from 'vitest';
import {
  baselineMse,
  forecastDatasets,
  lastValue,
  sameHourYesterday,
  syntheticSeries,
  trainForecaster,
} from '../../examples/timeseries-forecasting.js';

describe('example: LSTM time-series forecasting', () => {
  it('the series is seeded; window i reads hours i..i+47 and its target is hour i+47+12', async () => {
    const series = syntheticSeries();
    expect(series).toEqual(syntheticSeries());
    expect(series).not.toEqual(syntheticSeries({ seed: 12 }));
    const data = forecastDatasets(series, { batchSize: 4 });
    const norm = (v: number) => (v - data.mean) / data.std;
    const first = (await data.val[Symbol.asyncIterator]().next()).value;
    const [x, y] = first as [{ shape: number[]; dataSync(): Float32Array }, { dataSync(): Float32Array }];
    expect(x.shape).toEqual([4, 48, 1]);
    const split = Math.floor(series.length * 0.7);
    const xs = x.dataSync();
    const ys = y.dataSync();
    for (const i of [0, 3]) {
      expect(xs[i * 48]).toBeCloseTo(norm(series[split + i] as number), 5);
      expect(xs[i * 48 + 47]).toBeCloseTo(norm(series[split + i + 47] as number), 5);
      expect(ys[i]).toBeCloseTo(norm(series[split + i + 47 + 12] as number), 5);
    }
    // every validation window whose target lies inside the validation part
    expect(data.val.startPositions.length).toBe(series.length - split - 47 - 12);
    expect(() => sameHourYesterday(12)(new Float32Array(5))).toThrow(/does not reach 24 h before/);
  });

  it('after 3 epochs the LSTM beats the last-value forecast, and the same-hour-yesterday one', async () => {
    const data = forecastDatasets(syntheticSeries());
    const result = await trainForecaster(data, { epochs: 3, verbose: 0 });
    const losses = result.history['loss'] as number[];
    console.log(
      `timeseries: val MSE ${result.valMse.toFixed(4)}, last value ${result.naiveMse.toFixed(4)}, same hour yesterday ${result.seasonalMse.toFixed(4)}; loss ${losses.map((l) => l.toFixed(3)).join(' -> ')}`,
    );
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
    expect(result.naiveMse).toBeCloseTo(await baselineMse(data.val, lastValue), 6);
    expect(result.valMse).toBeLessThan(result.naiveMse / 5);
    expect(result.valMse).toBeLessThan(result.seasonalMse);
  });
});
