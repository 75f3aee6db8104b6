/**
 * The `capa` command as users run it: the built bin (dist/cli/main.js) spawned as a process.
 * Error cases must print one line and exit non-zero; a tiny end-to-end run trains, evaluates,
 * predicts and summarizes on a generated image folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/plot/png-encode.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'dist', 'cli', 'main.js');

/** Newest modification time under a folder. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function capa(args: string[], timeout = 120_000): Run {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** One line on stderr, `capa: error: ...`, no stack trace, non-zero exit. */
function expectOneLineError(run: Run, pattern: RegExp, code = 1): void {
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '' && !line.includes('Warning'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^capa: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code).toBe(code);
}

/** A two-class folder of 8x8 grey PNGs: dark squares and light squares with noise. */
function writeImageFolder(dir: string, perClass: number): void {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 40;
  for (const [name, base] of [
    ['dark', 30],
    ['light', 200],
  ] as const) {
    mkdirSync(join(dir, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const pixels = Uint8Array.from({ length: 64 }, () => base + random());
      writeFileSync(join(dir, name, `${name}_${i}.png`), encodePng(pixels, 8, 8, 1));
    }
  }
}

beforeAll(() => {
  // Rebuild when the sources changed since the last build (CI builds in `npm ci` already).
  if (!existsSync(bin) || newest(join(root, 'src')) > statSync(bin).mtimeMs) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }
}, 180_000);

describe('capa --help', () => {
  it('lists the commands and documents each one', () => {
    const main = capa(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['demo', 'train', 'evaluate', 'predict', 'summary']) {
      expect(main.stdout).toContain(`  ${command} `);
      const help = capa([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: capa ${command}`));
      expect(help.stdout).toContain('--verbose');
    }
    expect(capa([]).code).toBe(2);
  });
});

describe('capa errors: one line, non-zero exit', () => {
  const work = mkdtempSync(join(tmpdir(), 'capa-cli-errors-'));
  const images = join(work, 'images');
  writeImageFolder(images, 3);
  const empty = join(work, 'empty');
  mkdirSync(join(empty, 'cats'), { recursive: true });
  writeFileSync(join(empty, 'cats', 'notes.txt'), 'no images here');
  const notModel = join(work, 'model.keras');
  writeFileSync(notModel, 'this is not a model');

  it('missing folder', () => {
    expectOneLineError(capa(['train', join(work, 'nowhere')]), /folder '.*nowhere' does not exist$/);
    expectOneLineError(capa(['evaluate', notModel, join(work, 'nowhere')]), /does not exist$/);
  });

  it('folder without images', () => {
    expectOneLineError(capa(['train', empty]), /no images found in class sub-folders of '.*empty'/);
  });

  it('unknown architecture', () => {
    expectOneLineError(
      capa(['train', images, '--architecture', 'alexnet']),
      /unknown architecture 'alexnet'; choose one of: cnn, mlp, resnet50/,
    );
  });

  it('a file that is not a model', () => {
    expectOneLineError(capa(['summary', notModel]), /cannot load a model from '.*model.keras': is not a ZIP archive/);
    expectOneLineError(capa(['evaluate', notModel, images]), /cannot load a model/);
    expectOneLineError(capa(['predict', notModel, join(images, 'dark', 'dark_0.png')]), /cannot load a model/);
  });

  it('bad usage exits with 2 and points at the help', () => {
    expectOneLineError(
      capa(['train', images, '--epochs', 'many']),
      /--epochs expects an integer; received 'many' \(see 'capa train --help'\)/,
      2,
    );
    expectOneLineError(capa(['train', images, '--no-such-option']), /Unknown option '--no-such-option'/, 2);
    expectOneLineError(capa(['predict', notModel]), /missing IMAGE/, 2);
    expectOneLineError(capa(['frobnicate']), /unknown command 'frobnicate'/, 2);
  });

  it('--verbose adds the stack trace', () => {
    const run = capa(['summary', notModel, '--verbose']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^capa: error: cannot load a model/);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('capa end to end on a tiny folder', () => {
  it('trains, evaluates, predicts and summarizes', () => {
    const work = mkdtempSync(join(tmpdir(), 'capa-cli-e2e-'));
    const images = join(work, 'images');
    writeImageFolder(images, 10);
    const output = join(work, 'out');
    const train = capa([
      'train',
      images,
      '--architecture',
      'mlp',
      '--image-size',
      '8',
      '--epochs',
      '3',
      '--batch-size',
      '4',
      '--output',
      output,
    ]);
    expect(train.stderr).not.toMatch(/error/);
    expect(train.code).toBe(0);
    expect(train.stdout).toContain('Found 16 images belonging to 2 classes.');
    expect(train.stdout).toContain('Found 4 images belonging to 2 classes.');
    expect(train.stdout).toMatch(/precision {4}recall {2}f1-score {3}support/);
    expect(readdirSync(output).sort()).toEqual([
      'best_model.keras',
      'capa-labels.json',
      'confusion_matrix.png',
      'history.png',
      'model.png',
    ]);

    const model = join(output, 'best_model.keras');
    const evaluate = capa(['evaluate', model, images, '--plot', join(work, 'cm.svg')]);
    expect(evaluate.code).toBe(0);
    expect(evaluate.stdout).toMatch(/^ {8}dark/m);
    expect(evaluate.stdout).toMatch(/ {4}accuracy {27}\d\.\d\d {8}20\n/);
    expect(evaluate.stdout).toContain('confusion_matrix');
    expect(existsSync(join(work, 'cm.svg'))).toBe(true);

    const predict = capa([
      'predict',
      model,
      join(images, 'dark', 'dark_0.png'),
      join(images, 'light', 'light_0.png'),
      '--top',
      '2',
    ]);
    expect(predict.code).toBe(0);
    expect(predict.stdout).toMatch(/dark_0\.png: (dark|light) \(\d+\.\d%\) {2}\[(dark|light) \d+\.\d%\]/);

    const summary = capa(['summary', model, '--plot', join(work, 'model.svg')]);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('Total params: 49,794');
    expect(existsSync(join(work, 'model.svg'))).toBe(true);
  });

  it('runs the demo pipeline on a small MNIST subset', () => {
    const output = mkdtempSync(join(tmpdir(), 'capa-cli-demo-'));
    const demo = capa(['demo', '--quick', '--skip-notebook', '--output', output], 170_000);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('Found 905 images belonging to 10 classes.');
    expect(demo.stdout).toMatch(/Test accuracy of the best checkpoint: \d+\.\d\d% on 500 images/);
    for (const file of ['best_model.keras', 'history.png', 'confusion_matrix.png', 'cnn_model.png', 'test_samples.png']) {
      expect(existsSync(join(output, file))).toBe(true);
    }
  }, 180_000);
});
