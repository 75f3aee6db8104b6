/** `capa serve`'s server: cross-origin-isolation headers, MIME types, 404s and nothing outside its folder. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, startStaticServer } from '../../src/cli/static-server.js';

let dir = '';
let server: StaticServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'capa-serve-'));
  mkdirSync(join(dir, 'site', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'site', 'index.html'), '<p>home</p>');
  writeFileSync(join(dir, 'site', 'sub', 'k.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  server = await startStaticServer(join(dir, 'site'));
});
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (no URL normalization, so '..' reaches the server as sent). */
function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('static server (capa serve)', () => {
  it('serves index.html for the folder with the COOP/COEP headers', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('<p>home</p>');
    expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('serves .wasm as application/wasm', async () => {
    const r = await get('/sub/k.wasm');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/wasm');
  });

  it('answers 404 naming the path, and 403 for paths that leave the folder', async () => {
    const missing = await get('/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('Not found: /nope.js');
    expect(missing.headers['cross-origin-embedder-policy']).toBe('require-corp');
    // '..' segments are resolved inside the URL, so these stay in the folder...
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    // ...but encoded slashes decode to a path that would leave it
    expect((await get('/sub%2f..%2f..%2fsecret.txt')).status).toBe(403);
  });

  it('refuses to serve something that is not a folder', async () => {
    await expect(startStaticServer(join(dir, 'secret.txt'))).rejects.toThrow("serve: '");
  });
});
