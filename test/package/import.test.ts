/**
 * The package as users get it: after the `prepare` build, plain Node (no tsx, no vitest) imports
 * `capa` both from a consumer project (node_modules/capa) and from a script inside the
 * repository (package self-reference through `exports`), and TypeScript resolves its types.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeConsumer, PACKAGE_ROOT } from '../helpers/package-build.js';

const root = PACKAGE_ROOT;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const script = `
import * as capa from 'capa';
const x = capa.tensor([[1, 2], [3, 4]]);
const y = capa.ops.conv2d(capa.ones([1, 4, 4, 2]), capa.ones([3, 3, 2, 5]), { padding: 'same' });
console.log(JSON.stringify({
  matmul: Array.from(x.matmul(x).dataSync()),
  conv: y.shape,
  grad: Array.from(capa.grad((t) => capa.ops.sum(capa.ops.square(t)))(x).dataSync()),
  printed: capa.tensor([1, 2], [2], 'int32').toString(),
}));
`;

function runNode(file: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  // CAPA_BACKEND=js keeps the check independent of whether the native addon is built here
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', env: { ...process.env, CAPA_BACKEND: 'js' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectWorks(out: { status: number | null; stdout: string; stderr: string }): void {
  expect(out.status, out.stderr).toBe(0);
  const result = JSON.parse(out.stdout.trim().split('\n').pop() as string);
  expect(result).toEqual({
    matmul: [7, 10, 15, 22],
    conv: [1, 4, 4, 5],
    grad: [2, 4, 6, 8],
    printed: 'Tensor(shape=[2], dtype=int32)\n[1, 2]',
  });
}

describe('package import from plain Node', () => {
  let consumer = '';
  beforeAll(() => {
    ensureBuilt();
    consumer = makeConsumer();
  });
  afterAll(() => {
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it("imports 'capa' from a consumer project's node_modules", () => {
    writeFileSync(join(consumer, 'main.mjs'), script);
    expectWorks(runNode(join(consumer, 'main.mjs'), consumer));
  });

  it("imports 'capa' from a script inside the repository (self-reference)", () => {
    const dir = mkdtempSync(join(root, '.pkgtest-'));
    try {
      writeFileSync(join(dir, 'main.mjs'), script);
      expectWorks(runNode(join(dir, 'main.mjs'), dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships type declarations that TypeScript resolves through exports', () => {
    writeFileSync(
      join(consumer, 'main.ts'),
      `import * as capa from 'capa';
const t: capa.Tensor = capa.ops.conv2d(capa.zeros([1, 5, 5, 3]), capa.zeros([3, 3, 3, 2]), { strides: 2, padding: 'same' });
const shape: number[] = t.shape;
const r: { value: capa.Tensor; grads: capa.Tensor[] } = capa.valueAndGrads((a: capa.Tensor) => a.sum())([t]);
// @ts-expect-error padding only accepts 'valid' | 'same': proves the types are real, not any
capa.ops.maxPool2d(t, 2, { padding: 'full' });
export { r, shape };
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['main.ts'],
      }),
    );
    const r = spawnSync(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')], { cwd: consumer, encoding: 'utf8' });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });
});
