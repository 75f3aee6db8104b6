/**
 * BackupAndRestore by behaviour: a training process killed mid-epoch (SIGKILL, no cleanup) and
 * started again continues from the last finished epoch and ends with exactly the weights of an
 * uninterrupted run (model weights and Adam's state were both restored).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./helpers/backup-child.ts', import.meta.url));
const tsxLoader = createRequire(import.meta.url).resolve('tsx');
const root = mkdtempSync(join(tmpdir(), 'capa-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function start(dir: string, mode: string): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', tsxLoader, child, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out + err, exited };
}

function weights(output: string): number[][] {
  const line = output.split('\n').find((l) => l.startsWith('WEIGHTS '));
  if (!line) throw new Error(`the child printed no weights:\n${output}`);
  return JSON.parse(line.slice('WEIGHTS '.length)) as number[][];
}

function epochs(output: string): number[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('EPOCH '))
    .map((l) => Number(l.slice(6)));
}

describe('BackupAndRestore', () => {
  it('resumes a killed training process at the epoch after the last finished one', async () => {
    // reference: the same training, never interrupted
    const reference = start(join(root, 'reference'), 'run');
    expect(await reference.exited).toBe(0);
    const expected = weights(reference.output());
    expect(epochs(reference.output())).toEqual([0, 1, 2, 3]);

    // killed in the middle of epoch 3 (index 2)
    const dir = join(root, 'backup');
    const killed = start(dir, 'kill');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (killed.output().includes('KILLME')) {
          clearInterval(timer);
          killed.proc.kill('SIGKILL');
          resolve();
        }
      }, 20);
      killed.exited.then(() => {
        clearInterval(timer);
        reject(new Error(`the child exited before it could be killed:\n${killed.output()}`));
      });
    });
    await killed.exited;
    expect(epochs(killed.output())).toEqual([0, 1, 2]);
    const metadata = JSON.parse(readFileSync(join(dir, 'training_metadata.json'), 'utf8')) as { epoch: number };
    expect(metadata.epoch).toBe(2);

    // restarted: epochs 0 and 1 are not run again; the result equals the uninterrupted run
    const resumed = start(dir, 'run');
    expect(await resumed.exited).toBe(0);
    expect(epochs(resumed.output())).toEqual([2, 3]);
    expect(weights(resumed.output())).toEqual(expected);
    expect(existsSync(dir)).toBe(false); // deleteCheckpoint: removed after a finished run
  }, 60_000);
});
