/**
 * Python's str.format for checkpoint paths: `model.{epoch:02d}-{val_loss:.2f}.keras`. Supports
 * `{name}`, `{name:spec}` with the format-spec mini-language ([[fill]align][sign][#][0][width]
 * [,|_][.precision][type], types d f F e E g G % s), and `{{` / `}}` escapes.
 */
import { pythonFixed } from '../progbar.js';
import { pythonRepr } from '../python-repr.js';

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

export function formatPath(
  template: string,
  values: Record<string, number | string>,
  /** Names holding Python ints (printed without '.0'); the others are floats, as in Keras's logs. */
  intKeys: readonly string[] = ['epoch', 'batch'],
): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i] as string;
    if (ch === '{' && template[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (ch === '}' && template[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new Error(`Failed to format this callback filepath: "${template}". Reason: single '{' encountered.`);
      const field = template.slice(i + 1, end);
      const colon = field.indexOf(':');
      const name = colon < 0 ? field : field.slice(0, colon);
      const spec = colon < 0 ? '' : field.slice(colon + 1);
      if (!(name in values)) {
        throw new Error(
          `Failed to format this callback filepath: "${template}". Reason: no value named '${name}'; available: ${Object.keys(values).join(', ')}.`,
        );
      }
      out += formatValue(values[name] as number | string, spec, template, intKeys.includes(name));
      i = end + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function formatValue(value: number | string, spec: string, template: string, isInt: boolean): string {
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`Failed to format this callback filepath: "${template}". Reason: invalid format spec '${spec}'.`);
  const [, fill, align, sign, , zero, widthText, grouping, precisionText, type] = m;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  let body: string;
  if (typeof value === 'string' || type === 's') {
    body = String(value);
    if (precision !== undefined) body = body.slice(0, precision);
  } else {
    body = formatNumber(value, type, precision, grouping, template, spec, isInt);
    if (value >= 0 || Number.isNaN(value)) {
      if (sign === '+') body = `+${body}`;
      else if (sign === ' ') body = ` ${body}`;
    }
  }
  const width = widthText === undefined ? 0 : Number(widthText);
  if (body.length >= width) return body;
  const numeric = typeof value === 'number';
  const padChar = fill ?? (zero && !align ? '0' : ' ');
  const how = align ?? (zero ? '=' : numeric ? '>' : '<');
  const pad = width - body.length;
  if (how === '<') return body + padChar.repeat(pad);
  if (how === '^') return padChar.repeat(Math.floor(pad / 2)) + body + padChar.repeat(Math.ceil(pad / 2));
  if (how === '=') {
    const signPart = /^[+\- ]/.test(body) ? (body[0] as string) : '';
    return signPart + padChar.repeat(pad) + body.slice(signPart.length);
  }
  return padChar.repeat(pad) + body;
}

function formatNumber(
  value: number,
  type: string | undefined,
  precision: number | undefined,
  grouping: string | undefined,
  template: string,
  spec: string,
  isInt: boolean,
): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  let text: string;
  switch (type) {
    case 'd':
      if (!Number.isInteger(value)) {
        throw new Error(
          `Failed to format this callback filepath: "${template}". Reason: format code 'd' needs an integer, received ${value}.`,
        );
      }
      text = String(value);
      break;
    case 'f':
    case 'F':
      text = pythonFixed(value, precision ?? 6);
      break;
    case '%':
      return `${pythonFixed(value * 100, precision ?? 6)}%`;
    case 'e':
    case 'E': {
      const [mantissa, exponent] = value.toExponential(precision ?? 6).split('e') as [string, string];
      const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
      text = `${mantissa}${type}${exponent.startsWith('-') ? '-' : '+'}${digits}`;
      break;
    }
    case 'g':
    case 'G':
    case undefined:
      if (type === undefined && isInt) text = String(value);
      else text = type === undefined && precision === undefined ? pythonRepr(value) : generalFormat(value, precision ?? 6);
      if (type === 'G') text = text.toUpperCase();
      break;
    default:
      throw new Error(
        `Failed to format this callback filepath: "${template}". Reason: unsupported format code '${type}' in '${spec}'.`,
      );
  }
  if (grouping) {
    const [int, frac] = text.split('.') as [string, string | undefined];
    text = int.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (frac === undefined ? '' : `.${frac}`);
  }
  return text;
}

/** Python's 'g': precision significant digits, trailing zeros removed, exponent form outside [1e-4, 1e precision). */
function generalFormat(value: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  if (value === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(p)))));
  if (exp < -4 || exp >= p) {
    const [mantissa, exponent] = value.toExponential(p - 1).split('e') as [string, string];
    const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${m}e${exponent.startsWith('-') ? '-' : '+'}${digits}`;
  }
  const fixed = value.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
