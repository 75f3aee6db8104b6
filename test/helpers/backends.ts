import { afterAll, beforeAll, describe } from 'vitest';
import { availableBackends, type BackendName, getBackend, setBackend } from '../../src/index.js';
import { wasmInTestMatrix } from './engines.js';

/** Runs a describe block once per backend that can run here (native when its addon loads, js always; wasm under test:wasm). */
export function describeEachBackend(title: string, body: (backend: BackendName) => void): void {
  for (const name of availableBackends().filter((n) => n !== 'wasm' || wasmInTestMatrix())) {
    describe(`${title} [${name}]`, () => {
      let previous: BackendName;
      beforeAll(() => {
        previous = getBackend();
        setBackend(name);
      });
      afterAll(() => setBackend(previous));
      body(name);
    });
  }
}
