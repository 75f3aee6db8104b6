/**
 * `model.save('indexeddb://name')` and `loadModel('indexeddb://name')`: the model's `.keras`
 * bytes in the browser's IndexedDB (database `capa-models`, object store `models`, key = name).
 * A save writes under a temporary key first and then, in one transaction, copies it over the
 * name and deletes the temporary key: a save that fails (quota, a closed tab) leaves the model
 * saved before under that name as it was.
 */
import { describeError, SavingError } from '../errors.js';

export const IDB_DATABASE = 'capa-models';
const STORE = 'models';

/** What is stored under a name. */
interface StoredModel {
  format: 'keras';
  bytes: ArrayBuffer;
  savedAt: string;
}

// The few IndexedDB types used here (capa compiles without the DOM library).
interface IdbRequest<T> {
  result: T;
  error: { message: string } | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbStore {
  put(value: unknown, key: string): IdbRequest<unknown>;
  get(key: string): IdbRequest<unknown>;
  delete(key: string): IdbRequest<unknown>;
}
interface IdbTransaction {
  objectStore(name: string): IdbStore;
  error: { message: string } | null;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  abort(): void;
}
interface IdbDatabase {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(store: string, mode: 'readonly' | 'readwrite'): IdbTransaction;
  close(): void;
}
interface IdbFactory {
  open(name: string, version?: number): IdbOpenRequest;
}

function factory(label: string): IdbFactory {
  const idb = (globalThis as { indexedDB?: IdbFactory }).indexedDB;
  if (!idb) throw new SavingError(label, 'IndexedDB is not available here (indexeddb:// needs a browser, or a worker in one).');
  return idb;
}

function openDatabase(label: string): Promise<IdbDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory(label).open(IDB_DATABASE, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(new SavingError(label, `cannot open IndexedDB database '${IDB_DATABASE}': ${request.error?.message}`));
  });
}

/** Runs `work` in one transaction; resolves with what it produced once the transaction commits. */
async function inTransaction<T>(
  label: string,
  mode: 'readonly' | 'readwrite',
  work: (store: IdbStore, tx: IdbTransaction) => Promise<T> | T,
): Promise<T> {
  const db = await openDatabase(label);
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(new Error(tx.error?.message ?? 'the transaction failed'));
      tx.onabort = () => reject(new Error(tx.error?.message ?? 'the transaction was aborted'));
    });
    let value: T;
    try {
      value = await work(tx.objectStore(STORE), tx);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already finished: the error below is the one to report
      }
      await done.catch(() => undefined);
      throw error;
    }
    await done;
    return value;
  } finally {
    db.close();
  }
}

function requestResult<T>(request: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(request.error?.message ?? 'the request failed'));
  });
}

/** Stores `bytes` (a `.keras` archive) under `name`, replacing what was there only once all of it is written. */
export async function saveToIndexedDb(name: string, bytes: Uint8Array): Promise<void> {
  const label = `indexeddb://${name}`;
  const record: StoredModel = { format: 'keras', bytes: bytes.slice().buffer, savedAt: new Date().toISOString() };
  const temporary = `${name}\u0000saving-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  try {
    await inTransaction(label, 'readwrite', (store) => requestResult(store.put(record, temporary)));
    await inTransaction(label, 'readwrite', async (store) => {
      const written = await requestResult(store.get(temporary));
      if (written === undefined) throw new Error('the temporary copy vanished before it was swapped in');
      store.put(written, name);
      store.delete(temporary);
    });
  } catch (error) {
    await inTransaction(label, 'readwrite', (store) => requestResult(store.delete(temporary))).catch(() => undefined);
    throw new SavingError(
      label,
      `could not be saved to IndexedDB (${describeError(error)}); the model saved before under this name, if any, is unchanged.`,
    );
  }
}

/** The `.keras` bytes stored under `name`. */
export async function readFromIndexedDb(name: string): Promise<Uint8Array> {
  const label = `indexeddb://${name}`;
  const stored = await inTransaction(label, 'readonly', (store) => requestResult(store.get(name)));
  if (stored === undefined)
    throw new SavingError(label, `no model is saved under this name (IndexedDB database '${IDB_DATABASE}').`);
  const bytes = (stored as Partial<StoredModel>).bytes;
  if (!(bytes instanceof ArrayBuffer))
    throw new SavingError(label, 'the IndexedDB entry holds no model bytes; it was not written by capa.');
  return new Uint8Array(bytes);
}
