/**
 * CSVLogger (Keras 3): one row per epoch, `epoch` then the logs' keys sorted, written like
 * Python's csv module (excel dialect: \r\n line ends, quoting only where needed). The file is
 * rewritten through a temporary file and a rename after every epoch, so it is never half-written.
 */
import { fileExists, readTextFile, writeFileAtomic } from '../files.js';
import { pythonRepr } from '../python-repr.js';
import { Callback, type Logs } from './callback.js';

export interface CSVLoggerOptions {
  separator?: string;
  /** Keep an existing file's rows (and its header) and add to it. */
  append?: boolean;
}

function csvCell(value: string, separator: string): string {
  return /["\r\n]/.test(value) || value.includes(separator) ? `"${value.replace(/"/g, '""')}"` : value;
}

export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private content = '';

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    this.filename = filename;
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    this.keys = null;
    this.content = '';
    if (this.append && (await fileExists(this.filename))) {
      this.content = await readTextFile(this.filename);
      const header = this.content.split(/\r?\n/, 1)[0] ?? '';
      if (header.length > 0) this.keys = header.split(this.separator).slice(1);
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      // validation keys may be missing from the first epochs: reserve their columns
      if (!this.keys.some((k) => k.startsWith('val_'))) this.keys.push(...this.keys.map((k) => `val_${k}`));
      this.content += `${['epoch', ...this.keys].map((k) => csvCell(k, this.separator)).join(this.separator)}\r\n`;
    }
    const row = [String(epoch), ...this.keys.map((k) => (k in logs ? pythonRepr(logs[k] as number) : 'NA'))];
    this.content += `${row.map((v) => csvCell(v, this.separator)).join(this.separator)}\r\n`;
    await writeFileAtomic(this.filename, this.content);
  }
}
