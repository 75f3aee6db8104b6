/** Terminal formatting for results: numpy-style matrices (as `print(confusion_matrix(...))` shows). */

/** numpy's str() of a 2-D array of integers: `[[ 973    0 ...]\n [   0 1130 ...]]`. */
export function formatIntMatrix(matrix: readonly (readonly number[])[]): string {
  const width = Math.max(...matrix.flat().map((v) => String(v).length));
  const rows = matrix.map((row) => `[${row.map((v) => String(v).padStart(width)).join(' ')}]`);
  return `[${rows.join('\n ')}]`;
}

/** Seconds as "1m 23s" / "4.2s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
