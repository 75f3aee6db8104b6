/**
 * Python's number formatting, reproduced exactly so reports match scikit-learn byte for byte.
 * JavaScript differs in two places that matter here: `toFixed` rounds exact ties away from zero
 * where Python rounds them to even (0.125 → '0.13' vs '0.12'), and `String(x)` writes 2.0 as '2'
 * and switches to exponent notation at other thresholds than Python's `repr`.
 */

/** The exact value of a finite double as mantissa · 2^exponent (mantissa a non-negative BigInt). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biasedExponent === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}

/** Python's `format(x, '.{digits}f')`: exact decimal value, rounded half to even. */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(x);
  const scale = 10n ** BigInt(digits);
  let units: bigint;
  if (exponent >= 0) {
    units = (mantissa << BigInt(exponent)) * scale;
  } else {
    const shift = BigInt(-exponent);
    const scaled = mantissa * scale;
    units = scaled >> shift;
    const twiceRemainder = (scaled - (units << shift)) << 1n;
    const half = 1n << shift;
    if (twiceRemainder > half || (twiceRemainder === half && (units & 1n) === 1n)) units += 1n;
  }
  let text = units.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return negative ? `-${text}` : text;
}

/** Python's `repr(float)`: shortest round-trip digits, '.0' on integral values, exponent below 1e-4 or from 1e16. */
export function formatFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest digits that round-trip, like repr.
  const [mantissaText, exponentText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissaText.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** Python's `format(text, '>{width}')`: right-aligned, width counted in code points, never cut. */
export function padStartCodePoints(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : ' '.repeat(width - length) + text;
}
