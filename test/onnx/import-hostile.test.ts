/**
 * Malformed, truncated and hostile `.onnx` files: each gets one OnnxImportError naming the file
 * and the field; external data is read only from files inside the model's folder, and nothing a
 * file merely claims (dims, lengths) is allocated before it is checked against the bytes present.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { encodeModel, GEMM_WEIGHT, gemmModel } from './helpers/onnx-builder.js';
import { COMMITTED } from './helpers/torch-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'capa-onnx-hostile-'));
const folder = join(root, 'models');
mkdirSync(folder);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

async function loadError(path: string): Promise<Error> {
  try {
    await capa.onnx.loadModel(path);
  } catch (error) {
    expect(error).toBeInstanceOf(capa.onnx.OnnxImportError);
    expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
    return error as Error;
  }
  throw new Error(`${path} loaded`);
}

const externalWeight = (external: Record<string, string>) => ({ name: 'w', dims: [3, 4], external });

describe('ONNX import of bad files', () => {
  it('refuses a file that is not protobuf, or another format, or empty', async () => {
    expect((await loadError(write('text.onnx', new TextEncoder().encode('hello, this is not a model')))).message).toMatch(
      /not an ONNX model/,
    );
    expect((await loadError(write('zip.onnx', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])))).message).toMatch(/zip archive/);
    expect(await loadError(write('empty.onnx', new Uint8Array(0)))).toBeTruthy();
    expect(
      (
        await loadError(
          write(
            'random.onnx',
            Uint8Array.from({ length: 256 }, (_, i) => (i * 97 + 13) % 256),
          ),
        )
      ).message,
    ).toMatch(/not an ONNX model/);
  });

  it('refuses a truncated model', async () => {
    const bytes = readFileSync(join(COMMITTED, 'small_convnet.onnx'));
    for (const cut of [10, bytes.length >> 1, bytes.length - 3]) {
      expect((await loadError(write(`cut${cut}.onnx`, bytes.subarray(0, cut)))).message).toMatch(
        /truncated|not an ONNX model|no nodes/,
      );
    }
  });

  it('refuses huge declared dims on an initializer and on an input, before allocating', async () => {
    const huge = gemmModel({ name: 'w', dims: [2 ** 20, 2 ** 20, 4], values: GEMM_WEIGHT });
    expect((await loadError(write('huge-init.onnx', huge))).message).toMatch(
      /initializer\[0\] 'w' declares 1048576x1048576x4 FLOAT = 16384\.0 GiB, but its raw_data holds 48 bytes/,
    );
    const bigDim = gemmModel({ name: 'w', dims: [3, 2 ** 40], values: GEMM_WEIGHT });
    expect((await loadError(write('big-dim.onnx', bigDim))).message).toMatch(/declares dimension 1 = 1099511627776/);
    const bigInput = encodeModel({
      inputs: [{ name: 'x', dims: [1, 3, 1_000_000, 1_000_000] }],
      outputs: ['y'],
      nodes: [{ op: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'] }],
    });
    expect((await loadError(write('big-input.onnx', bigInput))).message).toMatch(
      /graph\.input\[0\] 'x' declares 3000000000000 elements per sample/,
    );
  });

  it('refuses pads and window pads that would claim huge outputs', async () => {
    const padModel = encodeModel({
      inputs: [{ name: 'x', dims: ['batch', 2, 4, 4] }],
      outputs: ['y'],
      nodes: [{ op: 'Pad', name: 'pad_huge', inputs: ['x', 'p'], outputs: ['y'] }],
      initializers: [{ name: 'p', dims: [8], values: [0, 0, 0, 0, 0, 0, 100_000, 100_000], int64: true }],
    });
    expect((await loadError(write('pad.onnx', padModel))).message).toMatch(
      /node 'pad_huge' \(Pad, opset 13\): its output \[batch, 2, 100004, 100004\] would hold 20001600032 elements per sample/,
    );
    const convModel = encodeModel({
      inputs: [{ name: 'x', dims: ['batch', 1, 4, 4] }],
      outputs: ['y'],
      nodes: [
        {
          op: 'Conv',
          name: 'conv_huge_pads',
          inputs: ['x', 'w'],
          outputs: ['y'],
          attributes: [{ name: 'pads', ints: [1_000_000, 1_000_000, 1_000_000, 1_000_000] }],
        },
      ],
      initializers: [{ name: 'w', dims: [1, 1, 1, 1], values: [1] }],
    });
    expect((await loadError(write('conv-pads.onnx', convModel))).message).toMatch(
      /node 'conv_huge_pads' \(Conv, opset 13\): its output \[batch, 1, 2000004, 2000004\] would hold 4000016000016 elements per sample/,
    );
  });

  it('refuses a 10-GiB tensor the file only claims (inline or in a side file)', async () => {
    const tenGiB = [10, 2 ** 28];
    const inline = gemmModel({ name: 'w', dims: tenGiB, rawBytes: new Uint8Array(16) });
    expect((await loadError(write('ten-inline.onnx', inline))).message).toMatch(
      /'w' declares 10x268435456 FLOAT = 10\.0 GiB, but its raw_data holds 16 bytes/,
    );
    writeFileSync(join(folder, 'small.bin'), new Uint8Array(64));
    const external = gemmModel({
      name: 'w',
      dims: tenGiB,
      external: { location: 'small.bin', offset: '0', length: String(10 * 2 ** 30) },
    });
    expect((await loadError(write('ten-external.onnx', external))).message).toMatch(
      /asks for bytes 0\.\.10737418240 of 'small\.bin', which holds 64 bytes/,
    );
  });

  it('never reads external data outside the model folder', async () => {
    writeFileSync(join(root, 'secret.bin'), new Uint8Array(48));
    for (const location of [
      '../../etc/passwd',
      '/etc/passwd',
      '../secret.bin',
      'sub/../../secret.bin',
      join(root, 'secret.bin'),
    ]) {
      const bytes = gemmModel(externalWeight({ location, offset: '0', length: '48' }));
      expect((await loadError(write('escape.onnx', bytes))).message).toMatch(/must be a relative path inside the model's folder/);
    }
    symlinkSync(join(root, 'secret.bin'), join(folder, 'link.bin'));
    const viaLink = gemmModel(externalWeight({ location: 'link.bin', offset: '0', length: '48' }));
    expect((await loadError(write('link.onnx', viaLink))).message).toMatch(/'link\.bin' leads outside the model's folder/);
    const missing = gemmModel(externalWeight({ location: 'nope.bin' }));
    expect((await loadError(write('missing.onnx', missing))).message).toMatch(/'nope\.bin' does not exist next to the model/);
  });

  it('reads external data from a side file next to the model', async () => {
    const sideFile = new Uint8Array(16 + 48);
    sideFile.set(new Uint8Array(new Float32Array(GEMM_WEIGHT).buffer), 16);
    writeFileSync(join(folder, 'weights.bin'), sideFile);
    const path = write('external.onnx', gemmModel(externalWeight({ location: 'weights.bin', offset: '16', length: '48' })));
    const model = await capa.onnx.loadModel(path);
    const inline = await capa.onnx.loadModelFromBytes(gemmModel({ name: 'w', dims: [3, 4], values: GEMM_WEIGHT }));
    const x = capa.tensor([1, 2, 3, 4, -1, 0.5, 0, 2], [2, 4]);
    const fromSideFile = Array.from((await model.predict(x, { verbose: 0 })).dataSync());
    expect(fromSideFile.slice(0, 3).map((v) => Number(v.toFixed(5)))).toEqual([3.5, 1.3, -2.35]);
    expect(fromSideFile).toEqual(Array.from((await inline.predict(x, { verbose: 0 })).dataSync()));
    await expect(capa.onnx.loadModelFromBytes(readFileSync(path))).rejects.toThrow(
      /stored in the side file 'weights\.bin', which cannot be read when loading from bytes/,
    );
  });

  it('names an unsupported op, its node and opset, and lists the supported ops', async () => {
    const bytes = encodeModel({
      inputs: [{ name: 'x', dims: [1, 2, 4, 4] }],
      outputs: ['y'],
      nodes: [{ op: 'ConvTranspose', name: 'up1', inputs: ['x', 'w'], outputs: ['y'] }],
      initializers: [{ name: 'w', dims: [2, 2, 2, 2], values: new Array(16).fill(0.1) }],
      opset: 15,
    });
    const message = (await loadError(write('convt.onnx', bytes))).message;
    expect(message).toMatch(
      /graph\.node\[0\] 'up1' \(opset 15\) uses the op 'ConvTranspose', which capa cannot import\. Supported ops: .*BatchNormalization.*Conv.*Gemm/,
    );
  });

  it('refuses an opset outside 11-21 and a dynamic non-batch dimension', async () => {
    const old = encodeModel({
      inputs: [{ name: 'x', dims: [1, 4] }],
      outputs: ['y'],
      nodes: [{ op: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'] }],
      opset: 7,
    });
    expect((await loadError(write('old.onnx', old))).message).toMatch(/opset 7; capa imports opsets 11 to 21/);
    const dynamic = encodeModel({
      inputs: [{ name: 'x', dims: [1, 'seq'] }],
      outputs: ['y'],
      nodes: [{ op: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'] }],
    });
    expect((await loadError(write('dyn.onnx', dynamic))).message).toMatch(/dynamic size 'seq' on axis 1/);
  });
});
