import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package's public entry, for scripts run in a child process (they cannot use vitest's alias). */
export const CAPA_ENTRY = fileURLToPath(new URL('../../../src/index.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

export interface ChildResult {
  /** Exit code, or null when the child was killed (timeout or signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The child's peak resident set size in MiB, read by the kernel at exit (getrusage). */
  peakRssMiB: number;
  /** The message of the error the script threw, or null when it finished without one. */
  error: string | null;
  timedOut: boolean;
  wallMs: number;
}

export interface ChildOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Node flags for the child, e.g. ['--expose-gc'] for a memory test that collects before reading RSS. */
  nodeArgs?: string[];
}

const MARK = '@@capa-child@@';

/**
 * Runs `body` (TypeScript, the body of an async function with `capa` in scope) in a fresh Node
 * process and reports its peak RSS and the error it threw. Memory-bomb and hang tests need a
 * process of their own: a bomb must be measured without the test runner's own heap, and a hang
 * must be killable.
 */
export async function runInChild(body: string, options: ChildOptions = {}): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'capa-child-'));
  const file = join(dir, 'script.mts');
  writeFileSync(
    file,
    `import * as capa from ${JSON.stringify(CAPA_ENTRY)};
void capa;
let error: string | null = null;
try {
  await (async () => {
${body}
  })();
} catch (e) {
  error = e instanceof Error ? \`\${e.name}: \${e.message}\` : String(e);
}
process.stdout.write('\\n${MARK}' + JSON.stringify({ error, maxRSSKiB: process.resourceUsage().maxRSS }) + '\\n');
process.exit(0);
`,
  );
  const start = Date.now();
  try {
    return await new Promise<ChildResult>((resolve, reject) => {
      const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', pathToFileURL(TSX).href, file], {
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const at = stdout.lastIndexOf(MARK);
        let report: { error: string | null; maxRSSKiB: number } = { error: null, maxRSSKiB: Number.NaN };
        if (at >= 0) {
          report = JSON.parse(stdout.slice(at + MARK.length).trim());
          stdout = stdout.slice(0, at);
        }
        resolve({
          code,
          signal,
          stdout,
          stderr,
          peakRssMiB: report.maxRSSKiB / 1024,
          error: at >= 0 ? report.error : `child ended without a report (code ${code}, signal ${signal})`,
          timedOut,
          wallMs: Date.now() - start,
        });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
