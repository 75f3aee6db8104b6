/** History (keras.callbacks.History): every epoch's logs, returned by fit and savable as JSON. */
import { writeFileAtomic } from '../files.js';
import { Callback, type CallbackParams, type Logs } from './callback.js';

export interface HistoryJSON {
  history: Record<string, number[]>;
  epoch: number[];
  params: CallbackParams;
}

export class History extends Callback {
  /** Values per epoch by name: `history.history.val_accuracy[3]`. */
  history: Record<string, number[]> = {};
  /** The epoch indices recorded (0-based, as Keras). */
  epoch: number[] = [];

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  toJSON(): HistoryJSON {
    return { history: this.history, epoch: this.epoch, params: this.params };
  }

  /** Rebuilds a History from `JSON.parse(JSON.stringify(history))` or a saved file's content. */
  static fromJSON(json: HistoryJSON | Record<string, number[]>): History {
    const h = new History();
    if ('history' in json && !Array.isArray(json.history)) {
      const full = json as HistoryJSON;
      h.history = full.history;
      h.epoch = full.epoch ?? [];
      h.params = full.params ?? {};
    } else {
      // a plain `history.history` dict, as Keras users usually dump it
      h.history = json as Record<string, number[]>;
      const first = Object.values(h.history)[0] ?? [];
      h.epoch = first.map((_, i) => i);
    }
    return h;
  }

  /** Writes `{ history, epoch, params }` as JSON (NaN and Infinity become null, as JSON requires). */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON(), null, 2));
  }

  /** Reads a file written by save (or a JSON dump of Keras's history.history). */
  static async load(path: string): Promise<History> {
    const { readTextFile } = await import('../files.js');
    return History.fromJSON(JSON.parse(await readTextFile(path)));
  }
}
