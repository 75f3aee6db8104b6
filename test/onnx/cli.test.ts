/**
 * `capa convert` and `capa summary` on ONNX files, run in-process through the CLI's `main`
 * (the spawned-bin tests in test/cli need a build; these exercise the same commands).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/run.js';
import * as capa from '../../src/index.js';
import { expectOrtMatches, scaledMaxDiff } from './helpers/ort.js';

const { layers } = capa;

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    out.push(parts.join(' '));
  });
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}

describe('capa convert / capa summary with ONNX', () => {
  const folder = mkdtempSync(join(tmpdir(), 'capa-onnx-cli-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  beforeEach(() => {
    capa.clearSession();
    capa.setSeed(2);
  });
  afterEach(() => vi.restoreAllMocks());

  function smallCnn(): capa.Sequential {
    return new capa.Sequential(
      [
        new layers.Conv2D(4, 3, { activation: 'relu', inputShape: [8, 8, 1] }),
        new layers.MaxPooling2D(),
        new layers.Flatten(),
        new layers.Dense(3, { activation: 'softmax' }),
      ],
      { name: 'tiny_cnn' },
    );
  }

  it.each(['model.keras', 'model.h5'])('converts %s to .onnx, which predicts as the model does', async (file) => {
    const model = smallCnn();
    const source = join(folder, file);
    await model.save(source);
    const target = join(folder, `${file}.onnx`);
    const run = await runCli(['convert', source, target, '--layout', 'nhwc']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote ${target}`);
    const x = capa.randomUniform([2, 8, 8, 1], { seed: 1 });
    await expectOrtMatches(model, new Uint8Array(readFileSync(target)), [x]);
  });

  it('prints an ONNX file’s inputs, outputs and op counts', async () => {
    const target = join(folder, 'summary.onnx');
    await capa.onnx.exportModel(smallCnn(), target, { opset: 13 });
    const run = await runCli(['summary', target]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ONNX model "tiny_cnn" from capa 0.1.0, IR version 8, opset ai.onnx 13');
    expect(run.stdout).toMatch(
      /Inputs:\n {2}conv2d_1_input {2}FLOAT \[batch, 8, 8, 1\]\nOutputs:\n {2}dense_1 {2}FLOAT \[batch, 3\]/,
    );
    expect(run.stdout).toMatch(/\n {2}Conv +1\n/);
    expect(run.stdout).toMatch(/\n {2}Transpose +2\n/);
    // conv 4*9 + 4, dense (4*3*3)*3 + 3
    expect(run.stdout).toContain('Initializers: 4 tensors, 151 values');
  });

  it('fails with one line for a file that is not ONNX, a format it cannot write, and ONNX input', async () => {
    const junk = join(folder, 'junk.onnx');
    writeFileSync(junk, 'not a model: plain text');
    const bad = await runCli(['summary', junk]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/^capa: error: cannot read '.*\.onnx': /);
    const model = join(folder, 'm.keras');
    await smallCnn().save(model);
    const noFormat = await runCli(['convert', model, join(folder, 'out.bin')]);
    expect(noFormat.code).not.toBe(0);
    expect(noFormat.stderr).toMatch(/needs an extension that names a format: \.onnx, \.keras, \.h5 or \.json/);
  });

  it('converts an exported .onnx back to .keras, which predicts as the original', async () => {
    const model = smallCnn();
    const exported = join(folder, 'round.onnx');
    await capa.onnx.exportModel(model, exported);
    const back = join(folder, 'round.keras');
    const run = await runCli(['convert', exported, back]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const reloaded = await capa.models.loadModel(back);
    const x = capa.randomUniform([2, 8, 8, 1], { seed: 5 });
    const expected = model.applyEager([x], { training: false })[0] as capa.Tensor;
    const actual = reloaded.applyEager([x], { training: false })[0] as capa.Tensor;
    expect(actual.shape).toEqual(expected.shape);
    expect(scaledMaxDiff(actual.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
  });
});
