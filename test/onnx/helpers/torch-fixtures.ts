/**
 * The PyTorch side of the import tests: models exported by torch.onnx.export with inputs and
 * PyTorch's outputs (tools/onnx/torch_import_fixtures.py). Small ones are committed under
 * test/fixtures/onnx; the torchvision ones are generated on first use when Debian's python3 has
 * torch, and cached in the temp folder under a hash of the generator.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const GENERATOR = join(ROOT, 'tools', 'onnx', 'torch_import_fixtures.py');
const PYTHON = '/usr/bin/python3';
export const COMMITTED = join(ROOT, 'test', 'fixtures', 'onnx');

export interface TorchRecord {
  inputs: { name: string; shape: number[]; data: number[] }[];
  outputs: { name: string; shape: number[]; data: number[] }[];
}

let torchChecked: boolean | null = null;

/** Whether /usr/bin/python3 imports torch and torchvision. */
export function hasTorch(): boolean {
  if (torchChecked === null) {
    try {
      execFileSync(PYTHON, ['-c', 'import torch, torchvision'], { stdio: 'ignore', timeout: 60_000 });
      torchChecked = true;
    } catch {
      torchChecked = false;
    }
  }
  return torchChecked;
}

/** The folder holding NAME.onnx and NAME.json, generating them (once per generator version) if needed. */
export function generatedFixture(name: string): string {
  const hash = createHash('sha1').update(readFileSync(GENERATOR)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'capa-onnx-import', hash);
  if (!existsSync(join(dir, `${name}.json`))) {
    mkdirSync(dir, { recursive: true });
    execFileSync(PYTHON, [GENERATOR, dir, name], { stdio: 'ignore', timeout: 900_000 });
  }
  return dir;
}

export function readRecord(dir: string, name: string): TorchRecord {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as TorchRecord;
}

/** max |actual - expected| over max |expected|: the error relative to the output's scale. */
export function scaledError(actual: ArrayLike<number>, expected: readonly number[]): number {
  if (actual.length !== expected.length) throw new Error(`${actual.length} values, expected ${expected.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return diff / scale;
}
