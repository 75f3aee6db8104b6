// Builds the native addon during `npm install`. Never fails the install: without a compiler
// (or on any build error) capa runs on its TypeScript backend and says so once at run time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');

if (process.env.CAPA_SKIP_NATIVE_BUILD === '1') {
  console.log('capa: CAPA_SKIP_NATIVE_BUILD=1, not building the native addon.');
  process.exit(0);
}
if (!existsSync(join(root, 'native', 'binding.gyp'))) process.exit(0);

// npm puts its bundled node-gyp on PATH for lifecycle scripts and passes the configured nodedir.
const nodeGyp = process.env.npm_config_node_gyp;
const [cmd, baseArgs] = nodeGyp ? [process.execPath, [nodeGyp]] : ['node-gyp', []];
const result = spawnSync(cmd, [...baseArgs, 'rebuild', '--directory', join(root, 'native')], {
  stdio: verbose ? 'inherit' : 'pipe',
  encoding: 'utf8',
});
if (result.status !== 0) {
  const why = result.error ? result.error.message : (result.stderr || '').trim().split('\n').slice(-3).join(' | ');
  console.warn(`capa: native addon build failed (${why || 'unknown error'}); capa will use the TypeScript backend.`);
}
process.exit(0);
