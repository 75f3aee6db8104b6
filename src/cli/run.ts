/**
 * What the `capa` command does with its arguments: `capa demo` runs the notebook end to end on bundled MNIST; `train`,
 * `evaluate`, `predict` and `summary` work on the user's own image folders and model files.
 * Errors print one line (`capa: error: ...`) and exit non-zero; --verbose adds the stack.
 */
import { commandHelp, GLOBAL_OPTIONS, parseCommand } from './args.js';
import { COMMANDS, type Command } from './commands/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE, errorLine, usageError } from './errors.js';

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  const lines = [
    'Usage: capa <command> [options]',
    '',
    'Deep learning for TypeScript: the Keras workflow from the command line.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)} ${c.spec.summary}`),
    '',
    'Options for every command:',
    ...GLOBAL_OPTIONS.map((o) => `  --${o.name.padEnd(width + 6)} ${o.description}`),
    '',
    "Run 'capa <command> --help' for a command's options.",
  ];
  return `${lines.join('\n')}\n`;
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Warnings (e.g. sklearn's UndefinedMetricWarning) as one `capa: warning:` line instead of Node's two. */
function printWarningsOnOneLine(verbose: boolean): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    process.stderr.write(`capa: warning: ${warning.message}\n`);
    if (verbose && warning.stack) process.stderr.write(`${warning.stack}\n`);
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  printWarningsOnOneLine(verbose);
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(mainHelp());
      return name === undefined ? EXIT_USAGE : 0;
    }
    if (name === '--version' || name === '-v') {
      process.stdout.write(`${await packageVersion()}\n`);
      return 0;
    }
    const command: Command | undefined = COMMANDS.find((c) => c.spec.name === name);
    if (!command) throw usageError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.spec.name).join(', ')}`);
    const parsed = parseCommand(command.spec, rest);
    if (parsed.options.help) {
      process.stdout.write(commandHelp(command.spec));
      return 0;
    }
    if (parsed.options.backend) {
      const { setBackend } = await import('../backend/registry.js');
      setBackend(parsed.options.backend as 'native' | 'js');
    }
    await command.run(parsed);
    return 0;
  } catch (error) {
    process.stderr.write(`${errorLine(error)}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  }
}
