/** loadImg + imgToArray against Keras's load_img + img_to_array run on Pillow (tools/gen_image_io_fixtures.py). */
import { describe, expect, it } from 'vitest';
import { preprocessing } from '../../src/index.js';
import { maxAbsDiff, readFixture } from './fixtures.js';

const { loadImg, imgToArray } = preprocessing.image;

interface LoadCase {
  file: string;
  colorMode: 'rgb' | 'rgba' | 'grayscale';
  targetSize: [number, number] | null;
  interpolation: preprocessing.image.Interpolation;
  keepAspectRatio: boolean;
  shape: number[];
  expected: number[];
}

const { cases } = readFixture<{ cases: LoadCase[] }>('load_img.json');
const imagePath = (file: string): string => new URL(`../fixtures/data/images/${file}`, import.meta.url).pathname;

async function diff(c: LoadCase): Promise<number> {
  const img = await loadImg(imagePath(c.file), {
    colorMode: c.colorMode,
    targetSize: c.targetSize,
    interpolation: c.interpolation,
    keepAspectRatio: c.keepAspectRatio,
  });
  const x = imgToArray(img);
  if (x.shape.join() !== c.shape.join()) return Infinity;
  return maxAbsDiff(x.dataSync(), c.expected);
}

describe('loadImg equals Keras load_img (Pillow)', () => {
  const byFile = new Map<string, LoadCase[]>();
  for (const c of cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  for (const [file, fileCases] of byFile) {
    // Exact, JPEG included: sharp's libjpeg-turbo decodes the same bytes Pillow's does.
    it(`${file}: colour modes, interpolations, aspect-ratio crop (${fileCases.length} cases, exact)`, async () => {
      const errors: string[] = [];
      for (const c of fileCases) {
        const d = await diff(c);
        if (d !== 0) errors.push(`${c.colorMode} ${c.targetSize ?? 'native'} ${c.interpolation} keep=${c.keepAspectRatio}: ${d}`);
      }
      expect(errors).toEqual([]);
    });
  }
});
