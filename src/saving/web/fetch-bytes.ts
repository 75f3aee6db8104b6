/** Bytes over `fetch`, with errors that name the URL and the HTTP status. */
import { describeError, SavingError } from '../errors.js';

/** Reads `url` whole; an HTTP error (404, 500, ...) or a network failure names the URL and why. */
export async function fetchBytes(url: string, maxBytes?: number): Promise<Uint8Array> {
  if (typeof globalThis.fetch !== 'function') throw new SavingError(url, 'cannot be fetched: this runtime has no fetch().');
  let response: Response;
  try {
    response = await globalThis.fetch(url);
  } catch (error) {
    throw new SavingError(url, `could not be fetched: ${describeError(error)}`);
  }
  if (!response.ok) {
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new SavingError(url, `could not be fetched: ${status}.`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (maxBytes !== undefined && declared > maxBytes)
    throw new SavingError(url, `is ${declared} bytes, more than the ${maxBytes} allowed for this kind of file.`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (maxBytes !== undefined && bytes.length > maxBytes)
    throw new SavingError(url, `is ${bytes.length} bytes, more than the ${maxBytes} allowed for this kind of file.`);
  return bytes;
}
