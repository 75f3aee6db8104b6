/**
 * Where training prints: progress bars and callback messages. Defaults to process.stdout when
 * there is one (in-place updates only on a TTY), else console.log; tests and applications may
 * redirect it with setTrainingOutput.
 */

export interface TrainingOutput {
  /** Writes text as is (no newline added). */
  write(text: string): void;
  /** Whether the output is a terminal (progress bars then update in place). */
  readonly isTTY: boolean;
}

interface StdoutLike {
  write(text: string): unknown;
  isTTY?: boolean;
}

function defaultOutput(): TrainingOutput {
  const proc = (globalThis as { process?: { stdout?: StdoutLike } }).process;
  const stdout = proc?.stdout;
  if (stdout && typeof stdout.write === 'function') {
    return {
      write: (text) => {
        stdout.write(text);
      },
      get isTTY() {
        return stdout.isTTY === true;
      },
    };
  }
  // no stream (browsers): console.log takes whole lines, so buffer until a newline
  let pending = '';
  return {
    write: (text) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) console.log(line);
    },
    isTTY: false,
  };
}

let output: TrainingOutput | null = null;

export function trainingOutput(): TrainingOutput {
  output ??= defaultOutput();
  return output;
}

/** Redirects progress bars and callback messages; pass null to restore the default. */
export function setTrainingOutput(next: TrainingOutput | null): void {
  output = next;
}

/** Keras's io_utils.print_msg: the message and a newline. */
export function printMessage(message: string): void {
  trainingOutput().write(`${message}\n`);
}

/** Warnings go to console.warn, as Keras's go to Python's warnings. */
export function warn(message: string): void {
  console.warn(message);
}
