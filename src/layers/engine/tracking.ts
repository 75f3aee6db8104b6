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
 * each once. The same walk as `walk` without paths, with no closure or Set made unless a container
 * is entered: a training step asks this several times per layer (weights, sub-layers, losses,
 * metrics), and most of a layer's properties are numbers, strings or objects that are not entered.
 * Inside a tracking snapshot (`openTrackingSnapshot`) each owner is walked once per kind.
 */
export function trackedObjects<T extends object>(owner: object, isKind: (value: unknown) => value is T): T[] {
  if (snapshot === null) return walkObjects(owner, isKind);
  let byKind = snapshot.get(owner);
  if (byKind === undefined) {
    byKind = new Map();
    snapshot.set(owner, byKind);
  }
  let found = byKind.get(isKind) as T[] | undefined;
  if (found === undefined) {
    found = walkObjects(owner, isKind);
    byKind.set(isKind, found);
  }
  // A copy: callers own the list they get, as outside a snapshot.
  return found.slice();
}

/** The walks of the open snapshot, per owner and kind predicate; null when none is open. */
let snapshot: WeakMap<object, Map<unknown, object[]>> | null = null;

/**
 * Opens a tracking snapshot: until the returned function closes it, `trackedObjects` walks each
 * owner once per kind and answers later asks from that walk. For a stretch of library code that
 * reads the same layers' weights, sub-layers, losses and metrics several times and runs no code
 * that could assign new ones to a layer's properties: a training step after its forward pass (a
 * custom layer builds its sub-layers and weights in `call`, which is over by then). Nested opens
 * share the outer snapshot; the snapshot ends with the outermost close, so the next step walks
 * again and sees whatever was assigned between steps.
 */
export function openTrackingSnapshot(): () => void {
  if (snapshot !== null) return noop;
  snapshot = new WeakMap();
  return closeSnapshot;
}

function closeSnapshot(): void {
  snapshot = null;
}

function noop(): void {}

/** What one `walkObjects` carries from property to property. */
interface ObjectWalk<T extends object> {
  owner: object;
  isKind: (value: unknown) => value is T;
  found: T[];
  /** The containers entered, so a cycle among them ends; made on the first. */
  entered: Set<unknown> | null;
}

function walkObjects<T extends object>(owner: object, isKind: (value: unknown) => value is T): T[] {
  const walk: ObjectWalk<T> = { owner, isKind, found: [], entered: null };
  const props = owner as Record<string, unknown>;
  for (const key of Object.keys(owner)) visitValue(props[key], walk);
  return walk.found;
}

/** One step of `walkObjects` (a module function, not a closure: it runs for every property of every layer walked). */
function visitValue<T extends object>(value: unknown, walk: ObjectWalk<T>): void {
  if (value === null || typeof value !== 'object' || value === walk.owner) return;
  if (walk.isKind(value)) {
    if (!walk.found.includes(value)) walk.found.push(value);
    return;
  }
  const isArray = Array.isArray(value);
  const isMap = !isArray && value instanceof Map;
  if (!isArray && !isMap && !isPlainObject(value)) return;
  walk.entered ??= new Set();
  if (walk.entered.has(value)) return;
  walk.entered.add(value);
  if (isArray) for (const v of value) visitValue(v, walk);
  else if (isMap) for (const v of (value as Map<unknown, unknown>).values()) visitValue(v, walk);
  else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) visitValue(record[key], walk);
  }
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
