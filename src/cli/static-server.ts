/**
 * A small static file server for pages that use capa (`capa serve`, the browser tests): it sends
 * the cross-origin-isolation headers (COOP `same-origin`, COEP `require-corp`) that
 * SharedArrayBuffer, and so threaded WebAssembly, needs, the right MIME types for .js, .mjs and
 * .wasm, and nothing outside its folder.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
};

/** The headers that make a page cross-origin isolated (`self.crossOriginIsolated === true`). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:8080/ */
  url: string;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  port?: number;
  host?: string;
  /** Send ISOLATION_HEADERS (default true); false serves a page that is not cross-origin isolated (tests of the single-thread path). */
  isolated?: boolean;
}

/** The file a request path names inside `root`, or null when it would leave `root`. */
function fileFor(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const file = normalize(join(root, decoded));
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** Serves `dir` (index.html for folders) until `close()`. Port 0 picks a free port. */
export async function startStaticServer(dir: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const rootStat = await stat(root).catch(() => null);
  const isolation = options.isolated === false ? {} : ISOLATION_HEADERS;
  if (!rootStat?.isDirectory()) throw new Error(`serve: '${dir}' is not a folder.`);
  const server: Server = createServer(async (request, response) => {
    const send = (status: number, text: string) => {
      response.writeHead(status, { ...isolation, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'Method not allowed');
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    let file = fileFor(root, pathname);
    if (file === null) return send(403, 'Forbidden');
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return send(404, `Not found: ${pathname}`);
    response.writeHead(200, {
      ...isolation,
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(info.size),
      'Cache-Control': 'no-cache',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
