import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedWeightsFile } from '../../src/applications/published-weights.js';
import { cachedWeightsFile, modelsCacheDir } from '../../src/applications/weights-cache.js';

const payload = new TextEncoder().encode('pretend these are HDF5 weights '.repeat(5000));
const md5 = createHash('md5').update(payload).digest('hex');
let server: Server;
let base = '';
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/weights.h5') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(payload);
    } else {
      res.writeHead(404, 'Not Found');
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const file = (url: string, hash: string | null = md5) => ({ model: 'ResNet50', fileName: 'weights.h5', url, md5: hash });

describe('published ImageNet weights', () => {
  it("knows Keras's URLs and md5 hashes", () => {
    expect(publishedWeightsFile('resnet50', { includeTop: false })).toEqual({
      model: 'ResNet50',
      fileName: 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
      url: 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
      md5: '4d473c1dd8becc155b73f8504c6f6626',
    });
    expect(publishedWeightsFile('vgg19', { includeTop: false }).url).toBe(
      'https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
    );
    expect(publishedWeightsFile('vgg19', { includeTop: true }).md5).toBe('cbe5617147190e668d6c5d5026f83318');
    expect(publishedWeightsFile('vgg16', { includeTop: false }).md5).toBe('6d6bbae143d832006294945121d1f1fc');
    expect(publishedWeightsFile('mobilenet_v2', { includeTop: false, alpha: 1, rows: 224 }).fileName).toBe(
      'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5',
    );
    expect(() => publishedWeightsFile('mobilenet_v2', { includeTop: true, alpha: 0.6 })).toThrow(/alpha in \[0\.35/);
  });

  it('uses $CAPA_HOME/models, else ~/.capa/models, unless a folder is given', async () => {
    const saved = process.env.CAPA_HOME;
    try {
      process.env.CAPA_HOME = '/srv/capa';
      expect(await modelsCacheDir()).toBe('/srv/capa/models');
      delete process.env.CAPA_HOME;
      expect(await modelsCacheDir()).toMatch(/\.capa\/models$/);
      expect(await modelsCacheDir('/tmp/x')).toBe('/tmp/x');
    } finally {
      if (saved === undefined) delete process.env.CAPA_HOME;
      else process.env.CAPA_HOME = saved;
    }
  });

  it('downloads once, verifies the md5, and serves the cached copy afterwards', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'capa-cache-'));
    requests = 0;
    const path = await cachedWeightsFile(file(`${base}/weights.h5`), { cacheDir, verbose: false });
    expect(path).toBe(join(cacheDir, 'weights.h5'));
    expect(new Uint8Array(await readFile(path))).toEqual(payload);
    await cachedWeightsFile(file(`${base}/weights.h5`), { cacheDir, verbose: false });
    expect(requests).toBe(1);
    // A damaged cached copy is replaced.
    await writeFile(path, 'damaged');
    await cachedWeightsFile(file(`${base}/weights.h5`), { cacheDir, verbose: false });
    expect(requests).toBe(2);
    expect(new Uint8Array(await readFile(path))).toEqual(payload);
  });

  it('refuses a download whose md5 differs from the published one, leaving nothing behind', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'capa-cache-'));
    await expect(cachedWeightsFile(file(`${base}/weights.h5`, '0'.repeat(32)), { cacheDir, verbose: false })).rejects.toThrow(
      /has md5 [0-9a-f]{32}, but Keras publishes it with md5 0{32}/,
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('reports an HTTP error with what to do', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'capa-cache-'));
    await expect(cachedWeightsFile(file(`${base}/missing.h5`), { cacheDir, verbose: false })).rejects.toThrow(
      /the server answered 404 Not Found\. Download it on a machine with internet access/,
    );
  });

  it('says clearly when the machine is offline (a host that cannot resolve)', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'capa-cache-'));
    const offline = file('http://storage.capa-offline.invalid/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5');
    const attempt = cachedWeightsFile(
      { ...offline, fileName: 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5' },
      {
        cacheDir,
        verbose: false,
      },
    );
    await expect(attempt).rejects.toThrow(/cannot download the ImageNet weights for ResNet50 .*the network is unreachable/);
    await expect(attempt).rejects.toThrow(
      /or pass its path: ResNet50\(\{ weights: '\/path\/to\/resnet50_weights_tf_dim_ordering_tf_kernels_notop\.h5' \}\)/,
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });
});
