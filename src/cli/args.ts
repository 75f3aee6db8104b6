/**
 * Command-line parsing for `capa`: each command declares its positionals and options once; the
 * same declaration parses argv (through node:util's parseArgs), converts and checks values, and
 * writes the command's --help text.
 */
import { parseArgs } from 'node:util';
import { usageError } from './errors.js';

export type OptionKind = 'string' | 'integer' | 'number' | 'boolean';

export interface OptionSpec {
  name: string;
  short?: string;
  kind: OptionKind;
  description: string;
  /** Placeholder in help, e.g. 'DIR'. */
  valueName?: string;
  default?: string | number | boolean;
  choices?: readonly string[];
  /** Smallest accepted number (integer/number kinds). */
  min?: number;
  /** Largest accepted number (integer/number kinds). */
  max?: number;
}

export interface PositionalSpec {
  name: string;
  description: string;
  variadic?: boolean;
  /** May be left out (only the last positionals); the command supplies the default. */
  optional?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  positionals: readonly PositionalSpec[];
  options: readonly OptionSpec[];
  examples?: readonly string[];
  /** Extra paragraphs after the option list. */
  notes?: readonly string[];
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

export interface ParsedCommand {
  positionals: string[];
  options: OptionValues;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'backend',
    kind: 'string',
    choices: ['native', 'js'],
    description: 'compute backend (default: native when built, else js)',
  },
  { name: 'verbose', kind: 'boolean', description: 'show stack traces on errors' },
  { name: 'help', short: 'h', kind: 'boolean', description: 'show this help' },
];

function convert(spec: OptionSpec, raw: string, command: string): string | number {
  if (spec.kind === 'string') {
    if (spec.choices && !spec.choices.includes(raw)) {
      throw usageError(`--${spec.name} must be one of ${spec.choices.join(', ')}; received '${raw}'`, command);
    }
    return raw;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (spec.kind === 'integer' && !Number.isInteger(value))) {
    throw usageError(`--${spec.name} expects ${spec.kind === 'integer' ? 'an integer' : 'a number'}; received '${raw}'`, command);
  }
  if (spec.min !== undefined && value < spec.min)
    throw usageError(`--${spec.name} must be at least ${spec.min}; received ${raw}`, command);
  if (spec.max !== undefined && value > spec.max)
    throw usageError(`--${spec.name} must be at most ${spec.max}; received ${raw}`, command);
  return value;
}

/** Parses `argv` (without the command name) against the command's declaration. */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  const all = [...spec.options, ...GLOBAL_OPTIONS];
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const option of all) {
    config[option.name] = {
      type: option.kind === 'boolean' ? 'boolean' : 'string',
      ...(option.short ? { short: option.short } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    // node's messages are multi-line and mention internals; keep their first sentence.
    const message = (error as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
    throw usageError(message.replace(/\.$/, ''), spec.name);
  }
  const options: OptionValues = {};
  for (const option of all) {
    const raw = parsed.values[option.name];
    if (raw === undefined) options[option.name] = option.default;
    else if (typeof raw === 'boolean') options[option.name] = raw;
    else options[option.name] = convert(option, String(raw), spec.name);
  }
  const positionals = parsed.positionals;
  if (!options.help) {
    const required = spec.positionals.filter((p) => !p.variadic && !p.optional).length;
    const variadic = spec.positionals.some((p) => p.variadic);
    if (positionals.length < required || (variadic && positionals.length < spec.positionals.length)) {
      const missing = spec.positionals[positionals.length]!;
      throw usageError(`missing ${missing.name.toUpperCase()} (${missing.description})`, spec.name);
    }
    if (!variadic && positionals.length > spec.positionals.length) {
      throw usageError(`unexpected argument '${positionals[spec.positionals.length]}'`, spec.name);
    }
  }
  return { positionals, options };
}

function optionLabel(option: OptionSpec): string {
  const value = option.kind === 'boolean' ? '' : ` ${option.valueName ?? (option.kind === 'string' ? 'VALUE' : 'N')}`;
  return `${option.short ? `-${option.short}, ` : '    '}--${option.name}${value}`;
}

function optionDescription(option: OptionSpec): string {
  let text = option.description;
  if (option.choices) text += ` (${option.choices.join(' | ')})`;
  if (option.default !== undefined && option.kind !== 'boolean') text += ` [default: ${option.default}]`;
  return text;
}

/** The --help text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const usage = spec.positionals
    .map((p) => (p.variadic ? `<${p.name}...>` : p.optional ? `[${p.name}]` : `<${p.name}>`))
    .join(' ');
  const lines = [`Usage: capa ${spec.name}${usage ? ` ${usage}` : ''} [options]`, '', spec.summary, ''];
  if (spec.positionals.length) {
    lines.push('Arguments:');
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(26)} ${p.description}`);
    lines.push('');
  }
  const all = [...spec.options, ...GLOBAL_OPTIONS];
  const width = Math.max(...all.map((o) => optionLabel(o).length)) + 2;
  lines.push('Options:');
  for (const option of all) lines.push(`  ${optionLabel(option).padEnd(width)} ${optionDescription(option)}`);
  for (const note of spec.notes ?? []) lines.push('', note);
  if (spec.examples?.length) {
    lines.push('', 'Examples:');
    for (const example of spec.examples) lines.push(`  ${example}`);
  }
  return `${lines.join('\n')}\n`;
}
