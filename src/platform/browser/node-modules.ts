/**
 * The browser has no filesystem: every path-based read or write fails with a message that says
 * what to use instead. (Node twin: ../node/node-modules.ts.)
 */
import type { NodeModules } from '../node/node-modules.js';

export type { NodeModules };

export function nodeModules(): Promise<NodeModules> {
  return Promise.reject(
    new Error(
      'Reading and writing files by path needs Node.js; this is a browser build of capa. ' +
        "In the browser, load from a URL or a File, and save with 'indexeddb://name' or 'downloads://name'.",
    ),
  );
}
