/**
 * The call in progress (Keras's CallContext): a layer called inside another layer's `call`
 * without an explicit `training` inherits the outer call's, so a Dropout inside a custom block
 * drops during fit. Calls run synchronously, so one stack serves the whole process.
 */
export interface CallContext {
  readonly training: boolean;
}

const stack: CallContext[] = [];

/** The innermost call in progress, or null outside any layer call. */
export function callContext(): CallContext | null {
  return stack[stack.length - 1] ?? null;
}

export function withCallContext<T>(context: CallContext, run: () => T): T {
  stack.push(context);
  try {
    return run();
  } finally {
    stack.pop();
  }
}
