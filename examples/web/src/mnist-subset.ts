/**
 * The MNIST subset the page ships (mnist-subset.bin.gz, written by ../build.ts from the real
 * MNIST files): gzip of [train images][train labels][test images][test labels], 28x28 bytes each.
 */
import { gunzipSync } from 'fflate';

export const SUBSET = { train: 6000, test: 1000 } as const;
const PIXELS = 28 * 28;

export interface MnistSubset {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/** Splits the uncompressed bytes; the sizes are checked so a stale or truncated file says so. */
export function splitSubset(bytes: Uint8Array): MnistSubset {
  const expected = (SUBSET.train + SUBSET.test) * (PIXELS + 1);
  if (bytes.length !== expected)
    throw new Error(`mnist-subset.bin.gz: expected ${expected} bytes once inflated, found ${bytes.length}.`);
  let at = 0;
  const take = (n: number) => bytes.subarray(at, (at += n));
  return {
    trainImages: take(SUBSET.train * PIXELS),
    trainLabels: take(SUBSET.train),
    testImages: take(SUBSET.test * PIXELS),
    testLabels: take(SUBSET.test),
  };
}

export async function fetchSubset(url = 'mnist-subset.bin.gz'): Promise<MnistSubset> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return splitSubset(gunzipSync(new Uint8Array(await response.arrayBuffer())));
}
