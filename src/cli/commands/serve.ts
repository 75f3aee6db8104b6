/** `capa serve [dir]`: serves a folder (a built page) with the cross-origin-isolation headers threads need. */
import type { CommandSpec } from '../args.js';
import { startStaticServer } from '../static-server.js';
import type { Command } from './index.js';

const spec: CommandSpec = {
  name: 'serve',
  summary: 'Serve a folder over HTTP with the COOP/COEP headers a page needs for threaded WebAssembly.',
  positionals: [{ name: 'dir', description: 'the folder to serve (default: the current folder)', optional: true }],
  options: [
    { name: 'port', kind: 'integer', min: 0, max: 65535, default: 8080, description: 'port to listen on (0: any free port)' },
    { name: 'host', kind: 'string', default: '127.0.0.1', description: 'address to listen on (0.0.0.0 for every interface)' },
  ],
  examples: ['capa serve examples/web/dist', 'capa serve . --port 3000'],
  notes: ['Every response carries Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.'],
};

export const serveCommand: Command = {
  spec,
  async run({ positionals, options }) {
    const server = await startStaticServer(positionals[0] ?? '.', { port: Number(options.port), host: String(options.host) });
    console.log(`Serving ${positionals[0] ?? '.'} at ${server.url} (cross-origin isolated). Press Ctrl+C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => {
        void server.close().then(resolve);
      });
    });
  },
};
