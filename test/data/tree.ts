/** Builds small class-per-folder image trees for the directory tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBmp } from '../../src/data/codecs/bmp.js';
import { encodePpm } from '../../src/data/codecs/ppm.js';
import { encodeImage } from '../../src/data/image-io.js';
import type { RawImage } from '../../src/data/raw-image.js';

/** A gray size x size image whose every pixel is `value` (so a batch shows which file it came from). */
export function flatGray(value: number, size = 4): RawImage {
  return { width: size, height: size, mode: 'L', data: new Uint8Array(size * size).fill(value) };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `capa-${prefix}-`));
}

/** Writes `files` (relative path -> image or raw bytes) under a fresh temporary folder. */
export async function buildTree(files: Record<string, RawImage | Uint8Array | string>): Promise<string> {
  const root = tempDir('tree');
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    if (typeof content === 'string' || content instanceof Uint8Array) {
      writeFileSync(path, content);
      continue;
    }
    const ext = rel.slice(rel.lastIndexOf('.') + 1).toLowerCase();
    const bytes =
      ext === 'bmp'
        ? encodeBmp(content)
        : ext === 'ppm' || ext === 'pgm'
          ? encodePpm(content)
          : await encodeImage(
              content,
              ext === 'jpg' || ext === 'jpeg' ? 'jpeg' : ext === 'tif' || ext === 'tiff' ? 'tiff' : 'png',
              'test',
            );
    writeFileSync(path, bytes);
  }
  return root;
}

export function mkdir(root: string, rel: string): void {
  mkdirSync(join(root, rel), { recursive: true });
}
