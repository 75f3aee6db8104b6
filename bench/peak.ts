/**
 * The machine's arithmetic peak, the bench's first anchor: bench/peak/fma_peak.cc compiled with
 * the native kernels' own flags (native/binding.gyp's common_cflags) into the bench cache, keyed
 * by a hash of the source and flags so an edit rebuilds it, then run once per bench.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { revisionCache } from './revision-tree.js';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, 'peak', 'fma_peak.cc');

/** Rates by loop (fp32-avx512, fp32-avx2, bf16, int8) and thread count: GFLOP/s (int8: GOP/s). */
export type Peaks = Record<string, Record<string, number>>;

/** The kernels' compile flags, read from binding.gyp (JSON with # comment lines) so both stay one list. */
function kernelFlags(): string[] {
  const gyp = JSON.parse(readFileSync(join(here, '..', 'native', 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, ''));
  return gyp.variables.common_cflags as string[];
}

/** Builds the peak program if the cache has none for this source and these flags; returns its path. */
function build(): string {
  const flags = ['-std=gnu++17', ...kernelFlags(), '-pthread'];
  const source = readFileSync(SOURCE);
  const key = createHash('sha256').update(source).update(flags.join(' ')).digest('hex').slice(0, 16);
  const dir = join(revisionCache(), 'peak');
  const exe = join(dir, `fma-peak-${key}`);
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  const cxx = process.env.CXX ?? 'c++';
  const r = spawnSync(cxx, [...flags, SOURCE, '-o', `${exe}.tmp`], { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`bench: compiling ${SOURCE} with ${cxx} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  renameSync(`${exe}.tmp`, exe);
  return exe;
}

/** Measures the peaks on 1 and `threads` threads; an error string when it cannot. */
export function measurePeaks(threads: number): Peaks | string {
  try {
    const r = spawnSync(build(), [String(threads)], { encoding: 'utf8' });
    if (r.status !== 0) return `fma-peak exited ${r.status}: ${r.stderr}`;
    return JSON.parse(r.stdout) as Peaks;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The fp32 peak for `threads` threads: AVX-512's when the CPU has it, else AVX2's. */
export function fp32Peak(peaks: Peaks, threads: number): number | null {
  return (peaks['fp32-avx512'] ?? peaks['fp32-avx2'])?.[String(threads)] ?? null;
}

/** One line per loop: `fp32-avx512 1 thread 211.0, 2 threads 420.3 GFLOP/s`. */
export function describePeaks(peaks: Peaks): string[] {
  return Object.entries(peaks).map(([loop, rates]) => {
    const unit = loop === 'int8' ? 'GOP/s' : 'GFLOP/s';
    const parts = Object.entries(rates).map(([t, v]) => `${t} thread${t === '1' ? '' : 's'} ${v.toFixed(1)}`);
    return `${loop.padEnd(12)} ${parts.join(', ')} ${unit}`;
  });
}
