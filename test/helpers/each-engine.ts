import { afterAll, beforeAll, describe } from 'vitest';
import { loadNativeBackend } from '../../src/backend/native/load.js';
import { type BackendName, getBackend, setBackend } from '../../src/index.js';
import { currentIsa, type Engine, engines, restoreWasmIsa } from './engines.js';

/** Runs a describe block once per engine (js, and native under every ISA), restoring the defaults after. */
export function describeEachEngine(title: string, body: (engine: Engine) => void): void {
  const isa = currentIsa();
  for (const engine of engines()) {
    describe(`${title} [${engine.name}]`, () => {
      let previous: BackendName;
      beforeAll(() => {
        previous = getBackend();
        engine.use();
      });
      afterAll(() => {
        if (isa) loadNativeBackend().backend?.setIsa(isa);
        restoreWasmIsa();
        setBackend(previous);
      });
      body(engine);
    });
  }
}
