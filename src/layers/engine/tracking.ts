/**
 * What a layer holds in its properties, found when asked (Keras's `__setattr__` tracking, done
 * at read time). TypeScript sets a subclass's fields after `super()` returns, so the base
 * constructor cannot see them; reading the properties when the weights, sub-layers or metrics
 * are asked for sees every assignment, whenever it happened. A Proxy returned from the
 * constructor was the other way: it would intercept every property access of every layer on the
 * hot path, and break `#private` fields and identity checks between `this` and the proxy.
 *
 * Values are found directly in a property or inside arrays, plain objects and Maps held there
 * (nested any depth); other class instances are not entered, so a layer's own sub-layers are
 * reached through that layer.
 */

/** The tracked values with the property path that holds each (`dense1`, `blocks/0`, `heads/cls`), for saving. */
export function trackedPaths<T extends object>(
  owner: object,
  isKind: (value: unknown) => value is T,
): { path: string; value: T }[] {
  const found: { path: string; value: T }[] = [];
  walk(owner, isKind, (value, path) => found.push({ path: path(), value }));
  return found;
}

/**
 * The values of one kind reachable from the owner's own enumerable properties, in property order,
 * each once. The same walk as `walk` without paths, and without its per-property closures and Set
 * unless a container is entered: a training step asks this several times per layer (weights,
 * sub-layers, losses, metrics), and most of a layer's properties are numbers, strings or objects
 * that are not entered.
 */
export function trackedObjects<T extends object>(owner: object, isKind: (value: unknown) => value is T): T[] {
  const found: T[] = [];
  let entered: Set<unknown> | null = null;
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || value === owner) return;
    if (isKind(value)) {
      if (!found.includes(value)) found.push(value);
      return;
    }
    const isArray = Array.isArray(value);
    const isMap = !isArray && value instanceof Map;
    if (!isArray && !isMap && !isPlainObject(value)) return;
    entered ??= new Set();
    if (entered.has(value)) return;
    entered.add(value);
    if (isArray) for (const v of value) visit(v);
    else if (isMap) for (const v of (value as Map<unknown, unknown>).values()) visit(v);
    else for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key]);
  };
  const props = owner as Record<string, unknown>;
  for (const key of Object.keys(owner)) visit(props[key]);
  return found;
}

/**
 * Visits each tracked value once with its path. Paths are built only when asked for: this runs on
 * every training step (weights, sub-layers, metrics), and a Map key can be anything, a tensor
 * included, whose string form is costly.
 */
function walk<T extends object>(
  owner: object,
  isKind: (value: unknown) => value is T,
  onFound: (value: T, path: () => string) => void,
): void {
  const seen = new Set<unknown>([owner]);
  const visit = (value: unknown, path: () => string): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (isKind(value)) {
      onFound(value, path);
      return;
    }
    if (Array.isArray(value)) for (const [i, v] of value.entries()) visit(v, () => `${path()}/${i}`);
    else if (value instanceof Map) for (const [k, v] of value) visit(v, () => `${path()}/${String(k)}`);
    else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) visit(v, () => `${path()}/${k}`);
  };
  for (const key of Object.keys(owner)) visit((owner as Record<string, unknown>)[key], () => key);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
