/**
 * A few helpers to write clean SVG by hand: escaped text, attributes in a fixed order,
 * numbers rounded to two decimals, and a text-width estimate for layout (SVG has no text
 * metrics without a renderer; the estimate follows DejaVu Sans, the widest common sans font,
 * so labels laid out with it never overflow in narrower fonts).
 */

/** The font stack every picture uses. */
export const FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, sans-serif";

/** Text colours and greys shared by the pictures. */
export const INK = '#222222';
export const MUTED_INK = '#555555';
export const GRID = '#e3e3e3';
export const AXIS = '#888888';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number for an attribute: at most two decimals, no trailing zeros. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

type AttributeValue = string | number | undefined;

function attributes(attrs: Record<string, AttributeValue>): string {
  let text = '';
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    text += ` ${key}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return text;
}

/** `<tag attrs/>` or `<tag attrs>children</tag>`; children are already SVG. */
export function el(tag: string, attrs: Record<string, AttributeValue>, children?: string): string {
  return children === undefined ? `<${tag}${attributes(attrs)}/>` : `<${tag}${attributes(attrs)}>${children}</${tag}>`;
}

export interface TextOptions {
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'normal' | 'bold';
  fill?: string;
  /** Rotation in degrees around the text's anchor point. */
  rotate?: number;
  /** Vertical alignment: SVG's dominant-baseline ('central' centres on y). */
  baseline?: 'auto' | 'central' | 'hanging';
}

/** A text element (escaped). */
export function text(x: number, y: number, content: string, options: TextOptions = {}): string {
  return el(
    'text',
    {
      x,
      y,
      'font-size': options.size ?? 12,
      'text-anchor': options.anchor === 'start' ? undefined : (options.anchor ?? 'middle'),
      'font-weight': options.weight === 'bold' ? 'bold' : undefined,
      fill: options.fill ?? INK,
      'dominant-baseline': options.baseline === 'auto' ? undefined : (options.baseline ?? 'central'),
      transform: options.rotate ? `rotate(${num(options.rotate)} ${num(x)} ${num(y)})` : undefined,
    },
    escapeXml(content),
  );
}

const NARROW = new Set([..."iljtfrI.,:;'!|()[] "]);
const WIDE = new Set([...'mwMWOQGDHNU@%']);

/** Estimated width of `content` at `size` px in DejaVu Sans. */
export function textWidth(content: string, size: number, bold = false): number {
  let ems = 0;
  for (const ch of content) {
    if (NARROW.has(ch)) ems += 0.34;
    else if (WIDE.has(ch)) ems += 0.86;
    else if (ch >= 'A' && ch <= 'Z') ems += 0.7;
    else ems += 0.62;
  }
  return ems * size * (bold ? 1.08 : 1);
}

/** Shortens `content` with an ellipsis so it fits `maxWidth` px. */
export function fitText(content: string, size: number, maxWidth: number): string {
  if (textWidth(content, size) <= maxWidth) return content;
  const chars = [...content];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, size) > maxWidth) chars.pop();
  return `${chars.join('')}…`;
}

/** The outer `<svg>` with a white background (pictures must read on dark viewers too). */
export function svgDocument(width: number, height: number, body: string, title?: string): string {
  const header = `<?xml version="1.0" encoding="UTF-8"?>\n`;
  const titleElement = title ? `<title>${escapeXml(title)}</title>` : '';
  return (
    `${header}<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" ` +
    `viewBox="0 0 ${num(width)} ${num(height)}" font-family="${escapeXml(FONT_FAMILY)}">` +
    `${titleElement}<rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>\n`
  );
}
