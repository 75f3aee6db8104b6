/**
 * `model.save('downloads://name')`: the browser downloads the model as `name.keras` (or `name.h5`
 * when the name ends in `.h5`), as TensorFlow.js's downloads:// scheme triggers a download.
 */
import { SavingError } from '../errors.js';

interface AnchorLike {
  href: string;
  download: string;
  click(): void;
}
interface DocumentLike {
  createElement(tag: 'a'): AnchorLike;
}

/** The file name the browser will save to, and the format its extension asks for. */
export function downloadTarget(name: string): { fileName: string; format: 'keras' | 'h5' } {
  const lower = name.toLowerCase();
  if (lower.endsWith('.h5')) return { fileName: name, format: 'h5' };
  return { fileName: lower.endsWith('.keras') ? name : `${name}.keras`, format: 'keras' };
}

export function triggerDownload(fileName: string, bytes: Uint8Array): void {
  const doc = (globalThis as { document?: DocumentLike }).document;
  if (!doc)
    throw new SavingError(
      `downloads://${fileName}`,
      'downloads need a page (a document); in a worker, post the bytes to the page.',
    );
  const url = URL.createObjectURL(new Blob([bytes.slice().buffer], { type: 'application/octet-stream' }));
  const anchor = doc.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  // the download has started from the object URL; free it once the click has been handled
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
