/**
 * Issue 18, defect 2: small model files that claim gigabytes. Each bomb is built here at test time
 * (about 1 MB each), loaded in a child process, and must be refused with a clear error while the
 * child's peak RSS stays under 300 MiB (before the fix: past 3 GiB).
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layers, Sequential } from '../../src/index.js';
import { serializeLayer } from '../../src/layers/serialization.js';
import { loadModelFromBytes, saveModelToBytes } from '../../src/saving/api.js';
import { buildH5 } from '../../src/saving/hdf5/h5-writer.js';
import { asciiJson } from '../../src/saving/json.js';
import { writeLegacyWeights } from '../../src/saving/legacy/legacy-weights.js';
import { tfjsModelFiles } from '../../src/saving/tfjs/tfjs-model.js';
import { type InflateStop, InflateStopped, inflateBounded } from '../../src/saving/zip/bounded-inflate.js';
import { crc32 } from '../../src/saving/zip/crc32.js';
import { ZipArchive } from '../../src/saving/zip/zip-reader.js';
import { runInChild } from './helpers/child.js';
import { deflatedZeros, type RawEntry, rawZip } from './helpers/raw-zip.js';

const GiB = 2 ** 30;
const RSS_LIMIT_MiB = 300;

let dir: string;
const files = new Map<string, { path: string; expected: RegExp }>();

function smallModel(): Sequential {
  return new Sequential([new layers.Dense(3, { inputShape: [4], name: 'dense' })]);
}

function stored(name: string, bytes: Uint8Array): RawEntry {
  return { name, method: 0, packed: bytes, declaredSize: bytes.length, crc: crc32(bytes) };
}

/** The small model's config with the Dense layer widened to `units` (weights unchanged). */
function widened(config: string, units: number): string {
  const widenedConfig = config.replace('"units":3', `"units":${units}`);
  expect(widenedConfig).not.toBe(config);
  return widenedConfig;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'capa-bombs-'));
  const model = smallModel();
  const archive = ZipArchive.open(await saveModelToBytes(model, 'keras'), 'small.keras');
  const metadata = stored('metadata.json', archive.read('metadata.json'));
  const configBytes = archive.read('config.json');
  const config = stored('config.json', configBytes);
  const weights = stored('model.weights.h5', archive.read('model.weights.h5'));
  const zeros = await deflatedZeros(GiB);
  const bomb = (name: string, declaredSize: number): RawEntry => ({ name, method: 8, packed: zeros, declaredSize });
  const add = (name: string, bytes: Uint8Array, expected: RegExp) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    files.set(name, { path, expected });
  };
  add('small.keras', rawZip([metadata, config, weights]), /^$/);
  add(
    'config-1gib.keras',
    rawZip([metadata, bomb('config.json', GiB), weights]),
    /config-1gib\.keras: ZIP entry 'config\.json' declares 1073741824 bytes, more than the 67108864-byte limit/,
  );
  add(
    'config-liar.keras',
    rawZip([metadata, bomb('config.json', 3000), weights]),
    /config-liar\.keras: refusing ZIP entry 'config\.json': it inflates past its declared 3000 bytes/,
  );
  add(
    'weights-1gib.keras',
    rawZip([metadata, config, bomb('model.weights.h5', GiB)]),
    /weights-1gib\.keras: refusing ZIP entry 'model\.weights\.h5': \d+ compressed bytes inflated to \d+ \(over 100:1/,
  );
  add(
    'weights-liar.keras',
    rawZip([metadata, config, bomb('model.weights.h5', 3000)]),
    /weights-liar\.keras: refusing ZIP entry 'model\.weights\.h5': it inflates past its declared 3000 bytes/,
  );
  const unitsConfig = new TextEncoder().encode(widened(new TextDecoder().decode(configBytes), 2e7));
  add(
    'units.keras',
    rawZip([metadata, stored('config.json', unitsConfig), weights]),
    /units\.keras: the config does not match the weights stored with it: layer 'dense' weight 'kernel' of shape \[4, 20000000\] \(80000000 values, 305\.2 MiB\) is larger than any array in the file \(the largest holds 12 values\)/,
  );
  const legacyUnits = await buildH5((writer) => {
    writer.stringAttr('', 'model_config', widened(asciiJson(serializeLayer(model, 'keras2')), 2e7));
    writeLegacyWeights(writer, 'model_weights', model);
  });
  const tfjs = tfjsModelFiles(model);
  const tfjsDir = join(dir, 'tfjs-units');
  mkdirSync(tfjsDir);
  for (const shard of tfjs.shards) writeFileSync(join(tfjsDir, shard.path), shard.bytes);
  add(
    join('tfjs-units', 'model.json'),
    new TextEncoder().encode(widened(new TextDecoder().decode(tfjs.modelJson), 2e7)),
    /model\.json: the config does not match the weights stored with it: layer 'dense' weight 'kernel' of shape \[4, 20000000\]/,
  );
  add(
    'units.h5',
    legacyUnits,
    /units\.h5: the config does not match the weights stored with it: layer 'dense' weight 'kernel' of shape \[4, 20000000\]/,
  );
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('memory bombs from small model files (issue 18, defect 2)', () => {
  it('refuses each bomb with a clear error, peak RSS under 300 MiB, and still loads the honest file', async () => {
    const paths = Object.fromEntries([...files].map(([name, { path }]) => [name, path]));
    // One child loads them all in turn, printing its peak RSS after each, so a bomb that passes the
    // limit is named by the first step where the peak does.
    const child = await runInChild(
      `const results: Record<string, { error: string; peakMiB: number }> = {};
      for (const [name, path] of Object.entries(${JSON.stringify(paths)})) {
        let error = '';
        try {
          await capa.models.loadModel(path as string);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        results[name] = { error, peakMiB: process.resourceUsage().maxRSS / 1024 };
      }
      console.log(JSON.stringify(results));`,
      { timeoutMs: 60_000 },
    );
    expect(child.error).toBeNull();
    const results = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, { error: string; peakMiB: number }>;
    for (const [name, { expected }] of files) {
      expect({ name, error: results[name]!.error }).toEqual({ name, error: expect.stringMatching(expected) });
      expect(results[name]!.peakMiB, name).toBeLessThan(RSS_LIMIT_MiB);
    }
  }, 90_000);
});

describe('the limits leave honest files alone', () => {
  it('inflates a deflated entry of incompressible data, and zeros when the ratio limit is lifted', () => {
    const noise = new Uint8Array(3 << 19);
    let state = 7;
    for (let i = 0; i < noise.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      noise[i] = state >>> 24;
    }
    const zeros = new Uint8Array(3 << 19);
    const zip = zipSync({ 'noise.bin': [noise, { level: 1 }], 'zeros.bin': [zeros, { level: 1 }] });
    // Buffer.equals: vitest's deep equality walks megabytes element by element, slowly.
    expect(Buffer.from(ZipArchive.open(zip, 'honest.zip').read('noise.bin')).equals(noise)).toBe(true);
    expect(() => ZipArchive.open(zip, 'honest.zip').read('zeros.bin')).toThrow(/'zeros\.bin'.*over 100:1/);
    const lifted = ZipArchive.open(zip, 'honest.zip', { maxCompressionRatio: Number.POSITIVE_INFINITY });
    expect(Buffer.from(lifted.read('zeros.bin')).equals(zeros)).toBe(true);
  });

  it('stops inflating within 4 MiB of the declared size, not after a whole chunk', async () => {
    const zeros = await deflatedZeros(256 << 20);
    let stop: InflateStop | null = null;
    try {
      inflateBounded(zeros, { maxBytes: 3000, maxRatio: Number.POSITIVE_INFINITY });
    } catch (error) {
      if (error instanceof InflateStopped) stop = error.stop;
    }
    expect(stop?.kind).toBe('too-large');
    expect(stop!.written).toBeLessThan(3000 + 1032 * (4 << 10) + (64 << 10));
  });

  it('loads a model whose weights are as big as the file says', async () => {
    const model = new Sequential([new layers.Dense(1000, { inputShape: [1000], name: 'wide' })]);
    const loaded = await loadModelFromBytes(await saveModelToBytes(model, 'keras'));
    expect(loaded.weights[0]!.shape).toEqual([1000, 1000]);
    const bytes = (values: Float32Array | Int32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    expect(bytes(loaded.weights[0]!.dataSync()).equals(bytes(model.weights[0]!.dataSync()))).toBe(true);
  });
});
