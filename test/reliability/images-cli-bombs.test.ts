/**
 * Issue 18, defect 3: image decompression bombs. A 1.5 MB PNG that claims 40000x40000 pixels
 * took `capa train` and `capa predict` past 3 GiB. Every decoder now refuses an image over the
 * pixel limit from its header, before allocating or inflating, and PNG inflation stops at the
 * size the header implies. Bombs are loaded in a child process that reports its peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { layers, preprocessing, Sequential, utils } from '../../src/index.js';
import { runInChild } from './helpers/child.js';
import { blackPng, bmpHeader, pngDataBomb, pngFile, ppmHeader, zerosZlib } from './helpers/image-bombs.js';

const { loadImg, setMaxImagePixels, getMaxImagePixels, DEFAULT_MAX_IMAGE_PIXELS } = preprocessing.image;
const CLI = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));
const MAX_RSS_MIB = 300;

const work = mkdtempSync(join(tmpdir(), 'capa-image-bombs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => setMaxImagePixels(DEFAULT_MAX_IMAGE_PIXELS));

function write(relative: string, bytes: Uint8Array): string {
  const path = join(work, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

const bomb40k = write('bomb-40000.png', blackPng(40000, 40000));
const bomb20k = write('bomb-20000.png', blackPng(20000, 20000));
const interlaced = write('bomb-interlaced.png', pngFile(40000, 40000, zerosZlib(1000), true));
const dataBomb = write('data-bomb.png', pngDataBomb(100, 100, 1_600_000_000));

const warmUp = write('warm-up.png', blackPng(2, 2));

/** The body of a child script that loads each file and prints what became of it (and how long it took, once warm), one JSON line. */
function loadEach(paths: readonly string[]): string {
  return `
await capa.preprocessing.image.loadImg(${JSON.stringify(warmUp)});
const outcomes = [];
for (const path of ${JSON.stringify(paths)}) {
  const start = performance.now();
  try {
    const img = await capa.preprocessing.image.loadImg(path);
    outcomes.push({ size: [img.width, img.height], ms: performance.now() - start });
  } catch (e) {
    outcomes.push({ error: e.message, ms: performance.now() - start });
  }
}
console.log(JSON.stringify(outcomes));`;
}

describe('image decompression bombs are refused from the header', () => {
  it('loadImg: 40000² and 20000² PNGs, an interlaced one (the sharp path), and a small PNG whose data inflates to 1.6 GB', async () => {
    expect(bomb40k.length).toBeLessThan(2_000_000);
    const run = await runInChild(loadEach([bomb40k, bomb20k, interlaced, dataBomb]), { timeoutMs: 60_000 });
    expect(run.error).toBeNull();
    const [a, b, c, d] = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
    expect(a.error).toContain(`Cannot decode image '${bomb40k}': PNG: the image is 40000x40000 = 1,600,000,000 pixels`);
    expect(a.error).toContain('over the limit of 268,402,689');
    expect(b.error).toContain(`'${bomb20k}': PNG: the image is 20000x20000`);
    expect(c.error).toContain(`'${interlaced}': PNG: the image is 40000x40000`);
    // Data past the rows is ignored, as libpng and Pillow do, and never inflated.
    expect(d).toMatchObject({ size: [100, 100] });
    for (const outcome of [a, b, c, d]) expect(outcome.ms).toBeLessThan(1000);
    expect(run.peakRssMiB).toBeLessThan(MAX_RSS_MIB);
  }, 90_000);

  it('flowFromDirectory: a bomb in a class folder fails the batch in the worker threads, naming the file', async () => {
    const dir = join(work, 'folder');
    write('folder/a/1.png', blackPng(30, 20));
    write('folder/b/2.png', blackPng(30, 20));
    const bomb = write('folder/b/3.png', blackPng(40000, 40000));
    const run = await runInChild(
      `
const gen = new capa.preprocessing.image.ImageDataGenerator();
const flow = gen.flowFromDirectory(${JSON.stringify(dir)}, { targetSize: [8, 8], batchSize: 3, shuffle: false, workers: 1, verbose: false });
try { await flow.next(); } catch (e) { console.log('bomb:', e.message); }
// The per-iterator limit reaches the workers too: 30x20 is over 599 pixels.
const strict = gen.flowFromDirectory(${JSON.stringify(dir)}, { targetSize: [8, 8], batchSize: 1, shuffle: false, workers: 1, verbose: false, maxImagePixels: 599 });
try { await strict.next(); } catch (e) { console.log('strict:', e.message); }`,
      { timeoutMs: 60_000 },
    );
    expect(run.error).toBeNull();
    expect(run.stdout).toContain(`bomb: Cannot decode image '${bomb}': PNG: the image is 40000x40000`);
    expect(run.stdout).toMatch(
      /strict: Cannot decode image '.*1\.png': PNG: the image is 30x20 = 600 pixels, over the limit of 599/,
    );
    expect(run.peakRssMiB).toBeLessThan(MAX_RSS_MIB);
  }, 90_000);

  it('capa predict and capa train: one error line naming the file and its size', async () => {
    const model = new Sequential([new layers.Flatten({ inputShape: [8, 8, 1] }), new layers.Dense(2, { activation: 'softmax' })]);
    const modelPath = join(work, 'model', 'model.keras');
    mkdirSync(join(work, 'model'), { recursive: true });
    await model.save(modelPath);
    const dir = join(work, 'train');
    write('train/a/1.png', blackPng(8, 8));
    write('train/a/2.png', blackPng(8, 8));
    write('train/b/1.png', blackPng(8, 8));
    const bomb = write('train/b/2.png', blackPng(40000, 40000));
    const small = write('small.png', blackPng(30, 20));
    const cli = (args: string[]) => `console.log('exit', await main(${JSON.stringify(args)}));`;
    const run = await runInChild(
      `const { main } = await import(${JSON.stringify(CLI)});
${cli(['predict', modelPath, bomb])}
${cli(['train', dir, '--architecture', 'mlp', '--image-size', '8', '--epochs', '1', '--validation-split', '0', '--output', join(work, 'out')])}
${cli(['predict', modelPath, small, '--max-image-pixels', '599'])}
${cli(['predict', modelPath, small, '--max-image-pixels', '600'])}`,
      { timeoutMs: 120_000 },
    );
    expect(run.error).toBeNull();
    expect(run.stdout.match(/^exit \d/gm)).toEqual(['exit 1', 'exit 1', 'exit 1', 'exit 0']);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('capa: error:'));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain(`Cannot decode image '${bomb}': PNG: the image is 40000x40000`);
    expect(errors[1]).toContain(`Cannot decode image '${bomb}': PNG: the image is 40000x40000`);
    expect(errors[2]).toContain(`'${small}': PNG: the image is 30x20 = 600 pixels, over the limit of 599`);
    expect(run.stdout).toContain(`${small}: `);
    expect(run.peakRssMiB).toBeLessThan(MAX_RSS_MIB);
  }, 150_000);

  it('a link to /dev/zero or a FIFO among the images is refused at once, not read forever', async () => {
    const zero = join(work, 'devices', 'a', 'zero.png');
    mkdirSync(join(work, 'devices', 'a'), { recursive: true });
    symlinkSync('/dev/zero', zero);
    const fifo = join(work, 'fifo.png');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const run = await runInChild(
      `${loadEach([zero, fifo])}
const flow = new capa.preprocessing.image.ImageDataGenerator().flowFromDirectory(${JSON.stringify(join(work, 'devices'))}, { workers: 0, verbose: false });
try { await flow.next(); } catch (e) { console.log('flow:', e.message); }`,
      { timeoutMs: 20_000 },
    );
    expect(run.error).toBeNull();
    const [a, b] = JSON.parse(run.stdout.trim().split('\n')[0] as string);
    expect(a.error).toBe(`Cannot read image file '${zero}': not a regular file`);
    expect(b.error).toBe(`Cannot read image file '${fifo}': not a regular file`);
    for (const outcome of [a, b]) expect(outcome.ms).toBeLessThan(1000);
    expect(run.stdout).toContain(`flow: Cannot read image file '${zero}': not a regular file`);
    expect(run.peakRssMiB).toBeLessThan(MAX_RSS_MIB);
  }, 30_000);

  it('PNG data past the rows is ignored without changing a pixel', async () => {
    const [width, height] = [30, 20];
    const rows = new Uint8Array(height * (width + 1));
    for (let i = 0; i < rows.length; i++) rows[i] = i % (width + 1) === 0 ? 0 : (i * 37) % 251;
    const padded = new Uint8Array(rows.length + 5_000_000);
    padded.set(rows);
    const exact = await loadImg(pngFile(width, height, deflateSync(rows)), { colorMode: 'grayscale' });
    const long = await loadImg(pngFile(width, height, deflateSync(padded)), { colorMode: 'grayscale' });
    const pixels = rows.filter((_, i) => i % (width + 1) !== 0);
    expect(exact.data).toEqual(pixels);
    expect(long.data).toEqual(pixels);
  });

  it('BMP and every Netpbm kind: a header over the limit is refused before any allocation', async () => {
    await expect(loadImg(bmpHeader(40000, 40000))).rejects.toThrow(
      /Cannot decode image \(bytes\): BMP: the image is 40000x40000 = 1,600,000,000 pixels, over the limit/,
    );
    for (const kind of [1, 2, 3, 4, 5, 6] as const) {
      await expect(loadImg(ppmHeader(kind, 40000, 40000))).rejects.toThrow(
        /PPM: the image is 40000x40000 = 1,600,000,000 pixels/,
      );
    }
    // Under the limit, a header still cannot claim more samples than the file holds.
    await expect(loadImg(ppmHeader(3, 10000, 10000))).rejects.toThrow(/PPM: header or data is truncated/);
    // A megabytes-long number is refused by its first characters (it overflowed the stack when spread into a string).
    const longNumber = new TextEncoder().encode(`P2\n${'1'.repeat(5_000_000)} 2 255\n`);
    await expect(loadImg(longNumber)).rejects.toThrow(/PPM: expected a non-negative integer, found "1111111111111111\.\.\."/);
  });

  it('the limit is configurable: per call, process-wide, through sharp, and off with null', async () => {
    const png = blackPng(30, 20);
    await expect(loadImg(png, { maxImagePixels: 599 })).rejects.toThrow(
      /PNG: the image is 30x20 = 600 pixels, over the limit of 599/,
    );
    expect((await loadImg(png, { maxImagePixels: 600 })).size).toEqual([30, 20]);
    expect(getMaxImagePixels()).toBe(268_402_689);
    setMaxImagePixels(599);
    await expect(loadImg(png)).rejects.toThrow(/over the limit of 599/);
    expect((await loadImg(png, { maxImagePixels: null })).size).toEqual([30, 20]);
    const jpeg = new Uint8Array(
      await sharp({ create: { width: 30, height: 20, channels: 3, background: 'red' } })
        .jpeg()
        .toBuffer(),
    );
    await expect(loadImg(jpeg)).rejects.toThrow(/JPEG: the image is 30x20 = 600 pixels, over the limit of 599/);
    setMaxImagePixels(null);
    expect((await loadImg(jpeg)).size).toEqual([30, 20]);
    const dir = join(work, 'dataset');
    write('dataset/a/1.png', png);
    const dataset = utils.imageDatasetFromDirectory(dir, { maxImagePixels: 100, workers: 0, verbose: false, imageSize: 8 });
    await expect(dataset[Symbol.asyncIterator]().next()).rejects.toThrow(/1\.png': PNG: the image is 30x20 = 600 pixels/);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => setMaxImagePixels(bad)).toThrow(/maxImagePixels must be a positive integer or null/);
      await expect(loadImg(png, { maxImagePixels: bad })).rejects.toThrow(/loadImg: maxImagePixels must be/);
    }
  });
});
