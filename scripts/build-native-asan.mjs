// Builds the native addon with AddressSanitizer and UndefinedBehaviorSanitizer into
// native/build-asan/build/Release/capa_native.node, never touching the shipped native/build.
// The build is native/binding.gyp itself, rewritten only where a sanitizer build must differ
// (its flags), so both builds compile the same code the same way.
// Load it with CAPA_NATIVE_ADDON=<that file> under LD_PRELOAD of the sanitizer runtimes:
// scripts/test-asan.mjs does both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeGyp } from './node-gyp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ASAN_DIR = join(root, 'native', 'build-asan');
export const ASAN_ADDON = join(ASAN_DIR, 'build', 'Release', 'capa_native.node');

/**
 * -O1 keeps reports' stacks readable; -fno-sanitize-recover=all makes undefined behaviour fail
 * instead of printing and going on. GCC leaves float-cast-overflow (a float to int conversion of
 * NaN or of a value out of range) out of "undefined"; it is undefined all the same. Division by a
 * float zero stays allowed: IEEE defines it and the kernels rely on it. CAPA_SANITIZER_BUILD
 * compiles in the self-test that proves a fault is caught (binding.cc) and exact-size scratch.
 */
const SANITIZE = [
  '-fsanitize=address,undefined,float-cast-overflow',
  '-fno-sanitize-recover=all',
  '-fno-omit-frame-pointer',
  '-g',
];

/**
 * native/binding.gyp as a build for native/build-asan/, which reaches the sources through a link
 * `src` -> ../src (relative paths with ".." would make gyp put every ISA's objects in one place).
 * gyp files are JSON plus # comments.
 */
function sanitizerGyp() {
  const out = JSON.parse(readFileSync(join(root, 'native', 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, ''));
  const vars = out.variables;
  vars.common_cflags = [...vars.common_cflags.filter((f) => !/^-O\d$/.test(f)), '-O1', ...SANITIZE];
  const defaults = out.target_defaults;
  // node-gyp's Release configuration adds its own -O3 after ours: drop it.
  defaults['cflags!'] = [...(defaults['cflags!'] ?? []), '-O3', '-O2'];
  defaults.ldflags = [...(defaults.ldflags ?? []), ...SANITIZE];
  defaults.defines = [...(defaults.defines ?? []), 'CAPA_SANITIZER_BUILD'];
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Builds (incrementally: make recompiles only what changed) and returns the addon's path. */
export function buildSanitizerAddon({ verbose = false } = {}) {
  mkdirSync(ASAN_DIR, { recursive: true });
  if (!existsSync(join(ASAN_DIR, 'src'))) symlinkSync(join('..', 'src'), join(ASAN_DIR, 'src'), 'dir');
  const gypFile = join(ASAN_DIR, 'binding.gyp');
  const gyp = sanitizerGyp();
  const changed = !existsSync(gypFile) || readFileSync(gypFile, 'utf8') !== gyp;
  if (changed) writeFileSync(gypFile, gyp);
  const steps = changed || !existsSync(join(ASAN_DIR, 'build', 'Makefile')) ? ['configure', 'build'] : ['build'];
  for (const step of steps) {
    const { cmd, args } = nodeGyp(step, ASAN_DIR);
    const r = spawnSync(cmd, args, { stdio: verbose ? 'inherit' : 'pipe', encoding: 'utf8' });
    if (r.status !== 0) {
      const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
      throw new Error(`sanitizer build: node-gyp ${step} failed (${r.error?.message ?? `exit ${r.status}`})\n${output}`);
    }
  }
  return ASAN_ADDON;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(buildSanitizerAddon({ verbose: process.argv.includes('--verbose') }));
}
