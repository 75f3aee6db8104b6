/**
 * Issue 18, defect 10: `capa train` on a folder with an empty or a symlinked class folder built a
 * 2-class model while flowFromDirectory found more classes, then failed with a shape mismatch.
 * The CLI now counts classes through the iterator's own listing (Keras's rule: every subfolder
 * is a class, empty or linked) and warns about classes without images.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inspectClassFolder } from '../../src/cli/image-folder.js';
import { models, preprocessing } from '../../src/index.js';
import { runInChild } from './helpers/child.js';
import { blackPng } from './helpers/image-bombs.js';

const CLI = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

const work = mkdtempSync(join(tmpdir(), 'capa-class-folders-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** a/ and b/ with two images each, empty/ with none, linked/ a symlink to a folder of two images elsewhere. */
function classTree(): string {
  const dir = join(work, 'images');
  for (const name of ['a', 'b', 'empty']) mkdirSync(join(dir, name), { recursive: true });
  const elsewhere = join(work, 'elsewhere');
  mkdirSync(elsewhere);
  for (const folder of [join(dir, 'a'), join(dir, 'b'), elsewhere]) {
    for (const file of ['1.png', '2.png']) writeFileSync(join(folder, file), blackPng(8, 8));
  }
  symlinkSync(elsewhere, join(dir, 'linked'), 'dir');
  return dir;
}

const dir = classTree();
const CLASSES = ['a', 'b', 'empty', 'linked'];

describe('class folders: one count, shared by the CLI and flowFromDirectory', () => {
  it('the CLI and the iterator see the same classes, the empty and the linked one included', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const folder = await inspectClassFolder(dir);
    expect(warn.mock.calls).toEqual([[expect.stringMatching(/^class 'empty' has no images; it is still a class/)]]);
    warn.mockRestore();
    const flow = new preprocessing.image.ImageDataGenerator().flowFromDirectory(dir, { workers: 0, verbose: false });
    expect(folder.classes).toEqual(CLASSES);
    expect(Object.keys(flow.classIndices)).toEqual(CLASSES);
    expect(folder.counts).toEqual([2, 2, 0, 2]);
    expect(folder.total).toBe(flow.samples);
  });

  it('capa train builds a model with the iterator’s class count and warns about the empty class', async () => {
    const output = join(work, 'out');
    const args = ['train', dir, '--architecture', 'mlp', '--image-size', '8', '--epochs', '1', '--validation-split', '0'];
    const run = await runInChild(
      `const { main } = await import(${JSON.stringify(CLI)});
console.log('exit', await main(${JSON.stringify([...args, '--output', output])}));`,
      { timeoutMs: 120_000 },
    );
    expect(run.error).toBeNull();
    expect(run.stderr).not.toMatch(/error/);
    expect(run.stdout).toContain('exit 0');
    expect(run.stdout).toContain('Found 6 images belonging to 4 classes.');
    expect(run.stderr).toContain("capa: warning: class 'empty' has no images");
    const labels = JSON.parse(readFileSync(join(output, 'capa-labels.json'), 'utf8'));
    expect(labels.classes).toEqual(CLASSES);
    const model = await models.loadModel(join(output, 'best_model.keras'));
    expect(model.outputShapes[0]).toEqual([null, 4]);
  }, 150_000);
});
