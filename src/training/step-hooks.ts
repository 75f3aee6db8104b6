/**
 * Whether a model runs Trainer's own step (so fit can check its targets up front) or a
 * subclass's override (which decides what its data means). Trainer adds its default step
 * methods here where it defines them; fit and evaluate read it without importing Trainer,
 * which imports them.
 */
export type StepHook = 'trainStep' | 'testStep' | 'predictStep';

const defaults = new Map<StepHook, unknown>();

export function declareDefaultStep(hook: StepHook, method: unknown): void {
  defaults.set(hook, method);
}

export function usesDefaultStep(model: object, hook: StepHook): boolean {
  return (model as Record<StepHook, unknown>)[hook] === defaults.get(hook);
}
