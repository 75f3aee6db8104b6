// `npm run test:asan`: the native and conformance suites, and test/reliability/sanitizers-* and numerics-*, against the
// addon built with AddressSanitizer and UndefinedBehaviorSanitizer (build-native-asan.mjs).
// Node itself is not instrumented, so the sanitizer runtimes are preloaded into every process of
// the run (vitest, its workers, the children tests spawn: all inherit the environment). A report
// ends its process (halt_on_error, -fno-sanitize-recover), which fails the test or the worker;
// the output is also scanned for reports, in case a test tolerated a dying process.
// Before trusting a clean run, it checks that the tests will load this build and that a
// deliberate fault of each kind really ends a process with a report.
// Extra arguments go to vitest (e.g. a test name filter).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { buildSanitizerAddon } from './build-native-asan.mjs';

const root = join(import.meta.dirname, '..');
const SUITES = ['test/native', 'test/conformance', 'test/reliability/sanitizers-', 'test/reliability/numerics-'];
/** The first line of an AddressSanitizer or UndefinedBehaviorSanitizer report. */
const REPORT = /ERROR: AddressSanitizer|AddressSanitizer:DEADLYSIGNAL|runtime error: /;

function fail(message) {
  console.error(`test:asan: ${message}`);
  process.exit(1);
}

/** The compiler's own sanitizer runtime (the one the addon was linked against). */
function runtime(library) {
  const cxx = process.env.CXX || 'g++';
  const r = spawnSync(cxx, [`-print-file-name=${library}`], { encoding: 'utf8' });
  const file = (r.stdout ?? '').trim();
  // Without the library the compiler echoes the bare name back.
  if (r.status !== 0 || !isAbsolute(file) || !existsSync(file))
    fail(`${cxx} has no ${library} (install the compiler's sanitizer runtimes)`);
  return file;
}

/** The environment that loads the sanitizer build under its runtimes. */
function sanitizerEnv(addon) {
  const preload = [runtime('libasan.so'), runtime('libubsan.so'), process.env.LD_PRELOAD].filter(Boolean).join(':');
  return {
    ...process.env,
    CAPA_NATIVE_ADDON: addon,
    LD_PRELOAD: preload,
    // Node frees little at exit by design: leak reports would be noise.
    ASAN_OPTIONS: 'detect_leaks=0:halt_on_error=1',
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
  };
}

/** Runs an ES module snippet (TypeScript imports allowed) in a fresh node. */
const node = (env, code) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, env, encoding: 'utf8' });

/** The tests must run on this build: the loader has to pick it, and it has to load under the runtimes. */
function checkLoader(env, addon) {
  const r = node(
    env,
    `import { readFileSync } from 'node:fs';
     const { loadNativeBackend } = await import('./src/backend/native/load.ts');
     const { backend, reason } = loadNativeBackend();
     const mapped = readFileSync('/proc/self/maps', 'utf8').includes(${JSON.stringify(addon)});
     console.log(JSON.stringify({ reason, mapped, isas: backend?.info().isas ?? [] }));`,
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let report;
  try {
    report = JSON.parse(line);
  } catch {
    fail(`the sanitizer build did not load (exit ${r.status}):\n${r.stderr}`);
  }
  if (report.reason || !report.mapped)
    fail(`the native backend did not load ${addon}: ${report.reason || 'another addon was loaded'}`);
  return report.isas;
}

/** Each fault must end a process with its report, or a clean run proves nothing. */
function checkFaultsAreCaught(env, addon) {
  for (const [kind, operand, expected] of [
    ['heap-buffer-overflow', 4, /ERROR: AddressSanitizer: heap-buffer-overflow/],
    ['division-by-zero', 0, /runtime error: division by zero/],
  ]) {
    const code = `const { createRequire } = await import('node:module');
      createRequire(import.meta.url)(${JSON.stringify(addon)}).sanitizerSelfTest(${JSON.stringify(kind)}, ${operand});`;
    const r = node(env, code);
    if (r.status === 0 || !expected.test(r.stderr)) {
      fail(`a deliberate ${kind} was not caught (exit ${r.status}):\n${r.stderr}`);
    }
  }
}

/** Runs vitest, passing its output through and watching it for reports. */
function runTests(env) {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const child = spawn(process.execPath, [vitest, 'run', ...SUITES, ...process.argv.slice(2)], {
    cwd: root,
    env,
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  let reports = 0;
  const watch = (from, to) => {
    let tail = '';
    const scan = (lines) => {
      reports += lines.filter((line) => REPORT.test(line)).length;
    };
    from.on('data', (chunk) => {
      to.write(chunk);
      const lines = (tail + chunk.toString('utf8')).split('\n');
      tail = lines.pop();
      scan(lines);
    });
    from.on('end', () => scan([tail]));
  };
  watch(child.stdout, process.stdout);
  watch(child.stderr, process.stderr);
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, reports })));
}

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
let addon;
try {
  addon = buildSanitizerAddon();
} catch (error) {
  fail(error.message);
}
console.log(`test:asan: built ${addon} (${seconds()})`);
const env = sanitizerEnv(addon);
const isas = checkLoader(env, addon);
checkFaultsAreCaught(env, addon);
console.log(`test:asan: deliberate faults are caught; the native suite runs each of ${isas.join(', ')} (${seconds()})`);

const run = await runTests(env);
if (run.reports > 0) fail(`${run.reports} sanitizer report(s) above (${seconds()})`);
if (run.code !== 0) fail(`the tests failed (exit ${run.code ?? run.signal}) (${seconds()})`);
console.log(`test:asan: clean (${seconds()})`);
