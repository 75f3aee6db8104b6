/**
 * The bridge to training: what a compiled model exposes so saving can store and restore its
 * compile settings and optimizer state. Training defines these on Model (its Trainer base class; Keras 3's
 * `optimizer`, `get_compile_config()` and `compile_from_config(config)`); a model that was
 * never compiled simply has none of them.
 */
import type { ConfigDict } from '../layers/engine/config.js';
import type { Model } from '../models/functional.js';
import { describeError } from './errors.js';
import type { OptimizerStateHolder } from './keras3/weights-store.js';

interface CompilableModel {
  optimizer?: OptimizerStateHolder | null;
  getCompileConfig?(): ConfigDict | null;
  compileFromConfig?(config: ConfigDict): void;
}

export interface CompileState {
  /** Keras 3's compile_config ({optimizer, loss, metrics, ...}), when the model was compiled. */
  compileConfig: ConfigDict | null;
  optimizer: OptimizerStateHolder | null;
}

function isOptimizer(value: unknown): value is OptimizerStateHolder {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as OptimizerStateHolder).variables) &&
    typeof (value as OptimizerStateHolder).build === 'function'
  );
}

/** The compile config and optimizer of a compiled model, or null when it was not compiled. */
export function compileStateOf(model: Model): CompileState | null {
  const compilable = model as Model & CompilableModel;
  const optimizer = isOptimizer(compilable.optimizer) ? compilable.optimizer : null;
  const compileConfig = typeof compilable.getCompileConfig === 'function' ? compilable.getCompileConfig() : null;
  if (!optimizer && !compileConfig) return null;
  return { compileConfig, optimizer };
}

/**
 * Compiles a freshly loaded model from its saved compile config and returns its optimizer (to
 * restore). As in Keras, a compile config that cannot be honoured (e.g. a custom loss function)
 * leaves the model loaded but uncompiled, with a warning.
 */
export function restoreCompileState(model: Model, compileConfig: ConfigDict, label: string): OptimizerStateHolder | null {
  const compilable = model as Model & CompilableModel;
  if (typeof compilable.compileFromConfig !== 'function') {
    console.warn(`${label}: the file has a compile config, but compile() is not available; the model is loaded uncompiled.`);
    return null;
  }
  try {
    compilable.compileFromConfig(compileConfig);
  } catch (error) {
    console.warn(`${label}: the model is loaded uncompiled; its saved compile config could not be used: ${describeError(error)}`);
    return null;
  }
  return isOptimizer(compilable.optimizer) ? compilable.optimizer : null;
}
