/**
 * Automatic names, counted per prefix from 1 like Keras 2 (`dense_1`, `conv2d_1`,
 * `max_pooling2d_1`), until `clearSession()` starts the counts again.
 */

const counts = new Map<string, number>();

/** Next number for a prefix: 1, 2, ... (Keras's `backend.get_uid`). */
export function getUid(prefix: string): number {
  const next = (counts.get(prefix) ?? 0) + 1;
  counts.set(prefix, next);
  return next;
}

/** A fresh automatic name for a prefix, e.g. `dense_3`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${getUid(prefix)}`;
}

/**
 * Forgets every automatic-name count (Keras's `clear_session()`), so the next Dense is
 * `dense_1` again. Existing layers keep their names.
 */
export function clearSession(): void {
  counts.clear();
}

/** `MaxPooling2D` -> `max_pooling2d`, `ReLU` -> `re_lu`: Keras's `to_snake_case`. */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const insecure = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  // A name starting with '_' would look private; Keras prefixes such names.
  return insecure.startsWith('_') ? `private${insecure}` : insecure;
}
