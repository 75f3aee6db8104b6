/**
 * `npm run fuzz -- --seconds 60 [--seed N] [--case I] [--verbose]`: throws random shapes, dtypes and
 * values (NaN, ±Infinity, -0, 0-length and size-1 axes, huge and tiny magnitudes) at every op of the
 * conformance table, on every engine (js, native under each ISA), and compares each engine's
 * outputs and input gradients with the TypeScript reference's. A disagreement or an error on one
 * engine only prints the op, the shapes, the seed and case index that replay it, and the values,
 * and the run exits 1; so does a crash, named by the supervising process. `--verbose` prints each
 * case before running it.
 */

import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { loadNativeBackend } from '../src/backend/native/load.js';
import * as capa from '../src/index.js';
import { generatorFor } from '../src/tensor/random.js';
import { loadFamilies, type OpCase } from '../test/conformance/fixtures.js';
import { runOp } from '../test/conformance/op-table.js';
import { currentIsa, engines } from '../test/helpers/engines.js';
import { drawCase, type FuzzCase } from './fuzz/cases.js';
import { compareResults, maxFiniteAbs, type Result } from './fuzz/compare.js';

interface Outcome {
  outputs: Result[];
  grads: Result[] | string;
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function resultOf(t: capa.Tensor): Result {
  return { shape: t.shape.slice(), dtype: t.dtype, values: Array.from(t.dataSync()) };
}

function inputsOf(c: FuzzCase): capa.Tensor[] {
  return c.inputs.map((a) =>
    capa.tensor(a.dtype === 'int32' ? Int32Array.from(a.values) : Float32Array.from(a.values), a.shape, a.dtype),
  );
}

/** The op's outputs, and the gradients of sum(output * dy) with respect to its float inputs. */
function runCase(c: FuzzCase): Outcome | string {
  let outputs: capa.Tensor[];
  try {
    outputs = runOp(c.op, inputsOf(c), c.attrs);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
  const floats = c.inputs.flatMap((a, i) => (a.dtype === 'float32' ? [i] : []));
  const rng = generatorFor(c.seedForDy);
  const dys = outputs.map((o) =>
    o.dtype === 'float32'
      ? capa.tensor(
          Float32Array.from({ length: o.size }, () => rng.nextNormal()),
          o.shape,
        )
      : null,
  );
  let grads: Result[] | string;
  if (floats.length === 0 || dys.every((d) => d === null)) {
    grads = [];
  } else {
    try {
      const fixed = inputsOf(c);
      const loss = (...diff: capa.Tensor[]) => {
        const all = fixed.slice();
        floats.forEach((k, j) => {
          all[k] = diff[j] as capa.Tensor;
        });
        const outs = runOp(c.op, all, c.attrs);
        let total: capa.Tensor = capa.scalar(0);
        outs.forEach((o, k) => {
          const dy = dys[k];
          if (dy) total = capa.ops.add(total, capa.ops.sum(capa.ops.mul(o, dy)));
        });
        return total;
      };
      grads = capa
        .grads(loss)(floats.map((k) => fixed[k] as capa.Tensor))
        .map(resultOf);
    } catch (e) {
      grads = `error: ${(e as Error).message}`;
    }
  }
  return { outputs: outputs.map(resultOf), grads };
}

function describeCase(c: FuzzCase, seed: number, index: number): string {
  const shapes = c.inputs.map((a) => `${a.dtype}[${a.shape}]`).join(', ');
  return `${c.op} (${c.template}) on ${shapes} attrs ${JSON.stringify(c.attrs)} — replay: npm run fuzz -- --seed ${seed} --case ${index}`;
}

function preview(values: readonly number[]): string {
  return `[${values.slice(0, 24).join(', ')}${values.length > 24 ? `, ... (${values.length})` : ''}]`;
}

/** Compares one case across engines: the report of a disagreement (or null), and whether the op refused the case. */
function check(c: FuzzCase, seed: number, index: number): { report: string | null; refused: boolean } {
  const all = engines();
  const results = all.map((engine) => {
    engine.use();
    return runCase(c);
  });
  const reference = results[0] as Outcome | string;
  const scale = maxFiniteAbs(c.inputs.map((a) => a.values));
  for (let k = 1; k < all.length; k++) {
    const got = results[k] as Outcome | string;
    const name = (all[k] as { name: string }).name;
    let problem: string | null = null;
    if (typeof reference === 'string' || typeof got === 'string') {
      if (reference !== got)
        problem = `js: ${typeof reference === 'string' ? reference : 'ok'} / ${name}: ${typeof got === 'string' ? got : 'ok'}`;
    } else {
      const out = compareResults(reference.outputs, got.outputs, scale, 1e-4, 'output');
      let grad = null;
      if (typeof reference.grads === 'string' || typeof got.grads === 'string') {
        if (reference.grads !== got.grads)
          problem = `gradient — js: ${String(reference.grads).slice(0, 200)} / ${name}: ${String(got.grads).slice(0, 200)}`;
      } else {
        grad = compareResults(reference.grads, got.grads, scale, 1e-3, 'gradient');
      }
      const m = out ?? grad;
      if (m) problem = `${m.what}${m.index === undefined ? '' : ` at ${m.index}: js ${m.expected} vs ${name} ${m.actual}`}`;
    }
    if (problem) {
      const values = c.inputs.map((a, i) => `  input ${i}: ${preview(a.values)}`).join('\n');
      return { report: `DISAGREEMENT ${name} vs js: ${problem}\n  ${describeCase(c, seed, index)}\n${values}`, refused: false };
    }
  }
  return { report: null, refused: typeof reference === 'string' };
}

/**
 * Runs the fuzzing in a child process (`--worker`) that reports each case index on fd 3 before
 * running it, so a case that kills the process (a native crash) is still named, with its replay.
 */
function supervise(): void {
  const args = [...process.execArgv, process.argv[1] as string, ...process.argv.slice(2), '--worker'];
  const child = spawn(process.execPath, args, { stdio: ['inherit', 'inherit', 'inherit', 'pipe'] });
  let last = '';
  child.stdio[3]?.on('data', (d: Buffer) => {
    const lines = d.toString().trim().split('\n');
    last = lines[lines.length - 1] ?? last;
  });
  child.on('close', (code, signal) => {
    if (code === 0 || code === 1) {
      process.exitCode = code;
      return;
    }
    const [seed, index] = last.split(' ').map(Number);
    const templates = loadFamilies().flatMap((f) => f.cases);
    const what =
      seed === undefined || index === undefined
        ? 'before the first case'
        : describeCase(drawCase(templates, seed, index), seed, index);
    console.log(`CRASH (exit code ${code}, signal ${signal}) in ${what}`);
    process.exitCode = 1;
  });
}

function main(): void {
  const seconds = Number(argument('seconds') ?? 10);
  const seed = Number(argument('seed') ?? Math.floor(Math.random() * 2 ** 31));
  const only = argument('case');
  const verbose = process.argv.includes('--verbose');
  const templates: OpCase[] = loadFamilies().flatMap((f) => f.cases);
  const isa = currentIsa();
  console.log(
    `fuzz: seed ${seed}, ${seconds} s, ${templates.length} fixture templates over ${new Set(templates.map((t) => t.op)).size} ops, engines ${engines()
      .map((e) => e.name)
      .join(', ')}`,
  );
  const start = Date.now();
  let cases = 0;
  let failures = 0;
  let refused = 0;
  const indices = only === undefined ? null : [Number(only)];
  for (let index = indices ? (indices[0] as number) : 0; ; index++) {
    if (indices ? index !== indices[0] : Date.now() - start > seconds * 1000) break;
    const c = drawCase(templates, seed, index);
    writeSync(3, `${seed} ${index}\n`);
    if (verbose) console.log(`case ${index}: ${describeCase(c, seed, index)}`);
    const { report, refused: wasRefused } = check(c, seed, index);
    cases++;
    if (wasRefused) refused++;
    if (report) {
      failures++;
      if (failures <= 20) console.log(report);
    }
  }
  if (isa) loadNativeBackend().backend?.setIsa(isa);
  console.log(`fuzz: ${cases} cases (${refused} refused alike by every engine), ${failures} disagreements, seed ${seed}`);
  process.exitCode = failures > 0 ? 1 : 0;
}

if (process.argv.includes('--worker')) main();
else supervise();
