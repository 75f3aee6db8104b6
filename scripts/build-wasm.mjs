// Builds the WebAssembly backend's module from the native kernel sources (one source tree: the
// same kernels, compiled for WebAssembly SIMD128 beside a scalar table, with the N-API layer
// replaced by the C ABI generated from native/spec/kernels.mjs). Two variants, chosen at load
// (src/backend/wasm/load.ts): `threads` (pthreads on SharedArrayBuffer: Node, and browser pages that
// are cross-origin isolated) and `single`. The output is committed in wasm/dist/ with a stamp of
// the sources and flags it was built from; test/wasm/stamp.test.ts fails when they no longer match.
//
//   node scripts/build-wasm.mjs           build (needs emscripten's em++: `apt-get install emscripten`)
//   node scripts/build-wasm.mjs --check   exit 1 when wasm/dist's stamp does not match the sources
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGenerated } from './gen-kernels.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = 'wasm/dist';
const STAMP = 'stamp.json';

/** native/binding.gyp (gyp's JSON with # comments): the source lists are read from it, not restated. */
function gyp() {
  const text = readFileSync(join(root, 'native', 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '');
  return JSON.parse(text);
}
/** The files only the N-API addon compiles (the wasm module has its own ABI and runtime instead). */
const NAPI_ONLY = new Set(['src/binding.cc', 'src/gen/bindings.generated.cc']);
/** Kernel sources, compiled once per ISA table, as the addon compiles them once per x86 ISA. */
const KERNELS = gyp().variables.kernel_sources.map((f) => `native/${f}`);
/** The binding bodies, pool and movement code shared with the addon, and the wasm-only ABI and runtime. */
const BINDINGS = [
  ...gyp()
    .targets.find((t) => t.target_name === 'capa_native')
    .sources.filter((f) => !NAPI_ONLY.has(f))
    .map((f) => `native/${f}`),
  'native/src/gen/wasm_bindings.generated.cc',
  'native/src/wasm/runtime.cc',
];
/** The ISA tables of the module: the SIMD128 one the kernels run with, and the portable scalar one. */
const ISAS = { 'wasm-simd': ['-DCAPA_ISA_WASM_SIMD'], scalar: [] };

const COMPILE = ['-O3', '-std=gnu++17', '-msimd128', '-ffp-contract=fast', '-fno-math-errno', '-Wno-unused-function'];
const LINK = [
  '-O3',
  '-msimd128',
  '-sMODULARIZE=1',
  '-sALLOW_MEMORY_GROWTH=1',
  '-sINITIAL_MEMORY=64MB',
  '-sMAXIMUM_MEMORY=4GB',
  '-sFILESYSTEM=0',
  '-sENVIRONMENT=web,worker,node',
  '-sEXPORTED_RUNTIME_METHODS=[]',
  // The glue must not install process-wide handlers in Node (they rethrow every unhandled rejection).
  '-sNODEJS_CATCH_EXIT=0',
  '-sNODEJS_CATCH_REJECTION=0',
];
/** The variants: extra compile and link flags. Workers are preloaded (capaPoolSize, set at load). */
export const VARIANTS = {
  threads: {
    exportName: 'capaWasmThreads',
    compile: ['-pthread'],
    link: ['-pthread', '-sPTHREAD_POOL_SIZE=Module.capaPoolSize', '-sPTHREAD_POOL_DELAY_LOAD=1'],
  },
  single: { exportName: 'capaWasmSingle', compile: [], link: [] },
};

/** The files whose text the module is built from: the sources above and every header they may include. */
function inputs() {
  const headers = [];
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.h') && e.name !== 'napi_args.h') headers.push(path);
    }
  };
  walk('native/src');
  return [...KERNELS, ...BINDINGS, ...headers.sort()];
}

/** The hash of the sources and flags (what wasm/dist/stamp.json must hold). */
export function wasmStamp() {
  const h = createHash('sha256');
  h.update(JSON.stringify({ COMPILE, LINK, ISAS, VARIANTS }));
  for (const path of inputs()) {
    h.update(`\0${path}\0`);
    h.update(readFileSync(join(root, path)));
  }
  return h.digest('hex');
}

/** The stamp wasm/dist holds, or null when it has none. */
export function shippedStamp() {
  const file = join(root, DIST, STAMP);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      // Debian's emscripten needs its node-acorn for the JS optimizer.
      env: { ...process.env, NODE_PATH: [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':') },
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Runs the jobs `limit` at a time. */
async function pool(jobs, limit) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

async function build() {
  for (const path of await writeGenerated()) console.log(`capa: regenerated ${path}`);
  const stamp = wasmStamp();
  const work = join(root, 'wasm', 'build');
  const staging = join(root, 'wasm', 'dist.tmp');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const jobs = [];
  const objects = {};
  for (const [variant, v] of Object.entries(VARIANTS)) {
    objects[variant] = [];
    const compile = (src, defines, tag) => {
      const obj = join(work, variant, `${tag}${relative('native/src', src).replace(/[/.]/g, '_')}.o`);
      objects[variant].push(obj);
      jobs.push(async () => {
        mkdirSync(dirname(obj), { recursive: true });
        await run('em++', [...COMPILE, ...v.compile, ...defines, '-c', src, '-o', obj]);
      });
    };
    for (const [isa, defines] of Object.entries(ISAS)) for (const src of KERNELS) compile(src, defines, `${isa}-`);
    for (const src of BINDINGS) compile(src, [], '');
  }
  const limit = Number(process.env.CAPA_WASM_JOBS) || Math.max(1, cpus().length);
  console.log(`capa: compiling ${jobs.length} objects (${limit} at a time)`);
  await pool(jobs, limit);
  for (const [variant, v] of Object.entries(VARIANTS)) {
    const out = join(staging, `capa-${variant}.js`);
    await run('em++', [...LINK, ...v.link, `-sEXPORT_NAME=${v.exportName}`, ...objects[variant], '-o', out]);
  }
  // The glue is CommonJS (emscripten's worker script require()s it in Node); the package is ESM.
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  const version = await emccVersion();
  writeFileSync(join(staging, STAMP), `${JSON.stringify({ sources: stamp, emscripten: version }, null, 2)}\n`);
  const dist = join(root, DIST);
  rmSync(dist, { recursive: true, force: true });
  renameSync(staging, dist);
  console.log(`capa: built ${DIST} (stamp ${stamp.slice(0, 12)}, emscripten ${version})`);
}

async function emccVersion() {
  const { execFileSync } = await import('node:child_process');
  const text = execFileSync('emcc', ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
  return /(\d+\.\d+\.\d+)/.exec(text)?.[1] ?? 'unknown';
}

async function main() {
  if (process.argv.includes('--check')) {
    const shipped = shippedStamp();
    const now = wasmStamp();
    if (shipped?.sources !== now) {
      console.error(
        `capa: ${DIST} was built from other sources (stamp ${shipped?.sources?.slice(0, 12) ?? 'missing'}, sources ${now.slice(0, 12)}): run \`npm run build:wasm\``,
      );
      process.exit(1);
    }
    return;
  }
  await build();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
