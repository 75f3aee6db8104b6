// Builds the native addon during `npm install`. Never fails the install: without a compiler
// (or on any build error) capa runs on its TypeScript backend and says so once at run time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGenerated } from './gen-kernels.mjs';
import { nodeGyp } from './node-gyp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');

if (process.env.CAPA_SKIP_NATIVE_BUILD === '1') {
  console.log('capa: CAPA_SKIP_NATIVE_BUILD=1, not building the native addon.');
  process.exit(0);
}
if (!existsSync(join(root, 'native', 'binding.gyp'))) process.exit(0);

// The bindings, op codes and kernel table come from native/spec/kernels.mjs; refresh them first
// (a no-op when the committed files are current, as they are in a published package).
try {
  for (const path of await writeGenerated()) console.log(`capa: regenerated ${path} from native/spec/kernels.mjs`);
} catch (error) {
  console.warn(`capa: could not generate the kernel bindings (${error.message}); capa will use the TypeScript backend.`);
  process.exit(0);
}

const { cmd, args } = nodeGyp('rebuild', join(root, 'native'));
const result = spawnSync(cmd, args, {
  stdio: verbose ? 'inherit' : 'pipe',
  encoding: 'utf8',
});
if (result.status !== 0) {
  const output = `${result.stdout || ''}\n${result.stderr || ''}`;
  const lines = output.split('\n');
  const errors = lines.filter((l) => /error|not found|ENOENT/i.test(l)).slice(0, 3);
  // make's "Error 127" is a command that could not be run: the compiler.
  const noCompiler = /Error 127|(c\+\+|g\+\+|clang\+\+|cc): (command )?not found/.test(output);
  const why = result.error
    ? result.error.message
    : noCompiler
      ? 'no C++ compiler found; install g++ or clang++, then run `npm run build:native`'
      : errors.join(' | ').trim() || lines.slice(-3).join(' | ').trim();
  console.warn(`capa: native addon build failed (${why || 'unknown error'}); capa will use the TypeScript backend.`);
}
process.exit(0);
