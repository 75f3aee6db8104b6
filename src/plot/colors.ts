/** Colours: a categorical palette for curves and a sequential map for heatmaps. */

/** matplotlib's tab10, the palette most people read plots in. */
export const CATEGORICAL = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** Correct / wrong marks in the image grid. */
export const GOOD = '#1a7f37';
export const BAD = '#c62828';

type Rgb = [number, number, number];

/** matplotlib's "Blues" colormap at nine stops (ColorBrewer), white to dark blue. */
const BLUES: Rgb[] = [
  [247, 251, 255],
  [222, 235, 247],
  [198, 219, 239],
  [158, 202, 225],
  [107, 174, 214],
  [66, 146, 198],
  [33, 113, 181],
  [8, 81, 156],
  [8, 48, 107],
];

/** The colour at t ∈ [0, 1] of the Blues map. */
export function blues(t: number): Rgb {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const position = clamped * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(position));
  const f = position - i;
  const a = BLUES[i]!;
  const b = BLUES[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as Rgb;
}

export function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Relative luminance (WCAG), 0 black … 1 white. */
function luminance([r, g, b]: Rgb): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** White or near-black, whichever contrasts more with the background. */
export function contrastingText(background: Rgb): string {
  const l = luminance(background);
  const againstWhite = 1.05 / (l + 0.05);
  const againstBlack = (l + 0.05) / 0.05;
  return againstWhite >= againstBlack ? '#ffffff' : '#111111';
}
