/**
 * The folder a command writes into (`--output`), created before any work starts so a folder that
 * cannot exist (a read-only disk, procfs) fails at once with one line instead of after training.
 */
import { makeFolder } from '../io/make-folder.js';
import { CliError } from './errors.js';

export async function prepareOutputFolder(folder: string): Promise<void> {
  try {
    await makeFolder(folder);
  } catch (error) {
    throw new CliError(`--output ${folder}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
