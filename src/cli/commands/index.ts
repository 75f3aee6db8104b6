/** The `capa` commands, in the order `capa --help` lists them. */
import type { CommandSpec, ParsedCommand } from '../args.js';
import { convertCommand } from './convert.js';
import { demoCommand } from './demo.js';
import { evaluateCommand } from './evaluate.js';
import { predictCommand } from './predict.js';
import { serveCommand } from './serve.js';
import { summaryCommand } from './summary.js';
import { trainCommand } from './train.js';

export interface Command {
  spec: CommandSpec;
  run(parsed: ParsedCommand): Promise<void>;
}

export const COMMANDS: readonly Command[] = [
  demoCommand,
  trainCommand,
  evaluateCommand,
  predictCommand,
  summaryCommand,
  convertCommand,
  serveCommand,
];
