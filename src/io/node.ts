/**
 * Node's file modules through `#platform/node-modules` (a clear error in a browser build), and
 * helpers for the errors they raise.
 */
export { type NodeModules, nodeModules } from '#platform/node-modules';

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `code` of a Node system error (ENOENT, EEXIST, ...), or undefined. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
