/** arrayToImg / saveImg / loadImg round trips, every writable format, and errors that name the file. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { decodeBmp, encodeBmp } from '../../src/data/codecs/bmp.js';
import { decodePpm, encodePpm } from '../../src/data/codecs/ppm.js';
import { preprocessing, type Tensor, tensor } from '../../src/index.js';
import { tempDir } from './tree.js';

const { loadImg, imgToArray, arrayToImg, saveImg } = preprocessing.image;

const rgb = (): Tensor =>
  tensor(
    Array.from({ length: 4 * 5 * 3 }, (_, i) => (i * 37) % 256),
    [4, 5, 3],
  );

describe('image I/O', () => {
  it('arrayToImg scales to 0..255 by default and casts like NumPy without scaling', () => {
    const x = tensor([0, 0.5, 1, 2], [2, 2, 1]);
    expect([...arrayToImg(x).data]).toEqual([0, 63, 127, 255]);
    expect([...arrayToImg(tensor([1.9, 255, 0, 3], [2, 2, 1]), { scale: false }).data]).toEqual([1, 255, 0, 3]);
    expect(arrayToImg(rgb(), { scale: false }).mode).toBe('RGB');
    expect(() => arrayToImg(tensor([1, 2], [1, 1, 2]))).toThrow(/Unsupported channel number: 2/);
  });

  it('saves and reloads losslessly in png, bmp, ppm, tiff and webp', async () => {
    const dir = tempDir('io');
    for (const ext of ['png', 'bmp', 'ppm', 'tif', 'webp']) {
      const path = join(dir, `img.${ext}`);
      await saveImg(path, rgb(), { scale: false });
      const back = imgToArray(await loadImg(path));
      expect([...back.dataSync()], ext).toEqual([...rgb().dataSync()]);
    }
    expect(readdirSync(dir).some((f) => f.includes('.tmp'))).toBe(false);
  });

  it('JPEG: close to the source; RGBA is converted to RGB with a warning, like Keras', async () => {
    const dir = tempDir('jpg');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const rgba = tensor(new Array(4 * 4 * 4).fill(200), [4, 4, 4]);
    await saveImg(join(dir, 'a.jpg'), rgba, { scale: false });
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/JPG format does not support RGBA/);
    warn.mockRestore();
    const back = imgToArray(await loadImg(join(dir, 'a.jpg')));
    expect(back.shape).toEqual([4, 4, 3]);
    expect(Math.max(...[...back.dataSync()].map((v) => Math.abs(v - 200)))).toBeLessThanOrEqual(1);
  });

  it('channels_first arrays, grayscale and rgba loading, bytes input', async () => {
    const dir = tempDir('cf');
    const path = join(dir, 'x.png');
    await saveImg(path, rgb(), { scale: false });
    const chw = imgToArray(await loadImg(path), { dataFormat: 'channels_first' });
    expect(chw.shape).toEqual([3, 4, 5]);
    expect(imgToArray(arrayToImg(chw, { dataFormat: 'channels_first', scale: false })).dataSync()).toEqual(rgb().dataSync());
    expect((await loadImg(path, { colorMode: 'grayscale' })).mode).toBe('L');
    const rgba = await loadImg(path, { colorMode: 'rgba', targetSize: [2, 3] });
    expect([rgba.mode, rgba.width, rgba.height]).toEqual(['RGBA', 3, 2]);
    const { readFileSync } = await import('node:fs');
    expect((await loadImg(new Uint8Array(readFileSync(path)))).size).toEqual([5, 4]);
  });

  it('errors name the file: missing, empty, corrupt; unknown save format', async () => {
    const dir = tempDir('bad');
    await expect(loadImg(join(dir, 'missing.png'))).rejects.toThrow(/missing\.png/);
    writeFileSync(join(dir, 'empty.png'), '');
    await expect(loadImg(join(dir, 'empty.png'))).rejects.toThrow(/empty\.png.*empty/);
    writeFileSync(join(dir, 'junk.jpg'), 'definitely not a jpeg');
    await expect(loadImg(join(dir, 'junk.jpg'))).rejects.toThrow(/Cannot decode image '.*junk\.jpg'/);
    await expect(saveImg(join(dir, 'x.xyz'), rgb())).rejects.toThrow(/cannot tell the image format/);
    expect(existsSync(join(dir, 'x.xyz'))).toBe(false);
  });

  it('PNGs outside the TypeScript fast path (interlaced, 16-bit) still decode through sharp', async () => {
    const { default: sharp } = await import('sharp');
    const raw = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 41) % 256);
    const interlaced = await sharp(raw, { raw: { width: 5, height: 4, channels: 3 } })
      .png({ progressive: true })
      .toBuffer();
    expect([...imgToArray(await loadImg(new Uint8Array(interlaced))).dataSync()]).toEqual([...raw]);
    const wide = await sharp(raw, { raw: { width: 5, height: 4, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect(imgToArray(await loadImg(new Uint8Array(wide))).shape).toEqual([4, 5, 3]);
  });

  it('BMP and Netpbm codecs: palettes, bit fields, alpha, ASCII variants, truncation', () => {
    const img = { width: 3, height: 2, mode: 'RGBA' as const, data: Uint8Array.from({ length: 24 }, (_, i) => i * 10) };
    expect(decodeBmp(encodeBmp(img), null)).toEqual(img);
    const gray = { width: 2, height: 2, mode: 'L' as const, data: Uint8Array.from([0, 100, 200, 255]) };
    expect(decodePpm(encodePpm(gray), null)).toEqual(gray);
    const ascii = new TextEncoder().encode('P2\n# comment\n2 2\n15\n0 5\n10 15\n');
    expect([...decodePpm(ascii, null).data]).toEqual([0, 85, 170, 255]);
    const bitmap = new TextEncoder().encode('P1\n3 1\n1 0 1\n');
    expect([...decodePpm(bitmap, null).data]).toEqual([0, 255, 0]);
    expect(() => decodeBmp(encodeBmp(img).subarray(0, 60), null)).toThrow(/BMP: header is truncated/);
    expect(() => decodeBmp(encodeBmp(img).subarray(0, 130), null)).toThrow(/BMP: pixel data is truncated/);
  });
});
