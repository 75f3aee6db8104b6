/**
 * Bundles a page script and capa from source for the browser: esbuild with platform 'browser'
 * and the `capa-source` condition, so package.json's `imports` pick src/platform/browser/*.ts
 * (tsconfig.json's `paths`, which point tsx and tsc at the Node platform, are not used).
 */
import { build } from 'esbuild';

export async function bundleForBrowser(entry: string, outfile: string): Promise<{ bytes: number; ms: number }> {
  const start = performance.now();
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['capa-source'],
    tsconfigRaw: '{}',
    outfile,
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((t, o) => t + o.bytes, 0);
  return { bytes, ms: performance.now() - start };
}
