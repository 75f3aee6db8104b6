import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { confusionMatrixSvg, plotConfusionMatrix } from '../../src/plot/confusion-matrix.js';
import { historySvg, plotHistory } from '../../src/plot/history.js';
import { imageGridSvg, plotImageGrid } from '../../src/plot/image-grid.js';
import { encodePng } from '../../src/plot/png-encode.js';
import { formatTicks, niceTicks } from '../../src/plot/scale.js';

const HISTORY = {
  loss: [0.9, 0.42, 0.25, 0.18],
  accuracy: [0.71, 0.87, 0.92, 0.945],
  val_loss: [0.35, 0.2, 0.14, 0.16],
  val_accuracy: [0.9, 0.94, 0.958, 0.95],
};

/** Texts drawn in an SVG, unescaped. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );
}

/** librsvg (through sharp) parses the SVG: it is well-formed and renders at its declared size. */
async function rendersAt(svg: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(Buffer.from(svg)).metadata();
  return { width: meta.width!, height: meta.height! };
}

describe('plotHistory', () => {
  it('draws a panel per quantity with training and validation curves and the best epoch', async () => {
    const svg = historySvg({ history: HISTORY });
    const drawn = texts(svg);
    expect(drawn).toEqual(expect.arrayContaining(['loss', 'accuracy', 'epoch', 'training']));
    expect(drawn).toContain('validation (best 0.1400, epoch 3)');
    expect(drawn).toContain('validation (best 0.9580, epoch 3)');
    // Two panels, two curves each (plus two legend swatches per panel).
    expect(svg.match(/<path /g)?.length).toBe(4);
    expect(await rendersAt(svg)).toEqual({ width: 860, height: 310 });
  });

  it('accepts a bare history record and breaks lines at NaN', () => {
    const svg = historySvg({ loss: [1, Number.NaN, 0.5, 0.4] });
    expect(svg.match(/<path /g)?.length).toBe(2);
    expect(texts(svg)).not.toContain('validation');
  });

  it('rejects unknown keys and empty histories clearly', () => {
    expect(() => historySvg(HISTORY, { keys: ['auc'] })).toThrow("plotHistory: no 'auc' in the history; it has loss, accuracy");
    expect(() => historySvg({ history: {} })).toThrow('plotHistory: the history is empty');
  });
});

describe('plotConfusionMatrix', () => {
  const cm = [
    [50, 2, 0],
    [3, 40, 7],
    [0, 0, 48],
  ];

  it('draws every count, class names, axis titles and a colour bar', async () => {
    const svg = confusionMatrixSvg(cm, { labels: ['cat', 'dog', 'bird'] });
    const drawn = texts(svg);
    for (const value of cm.flat()) expect(drawn).toContain(String(value));
    expect(drawn.filter((t) => t === 'dog').length).toBe(2);
    expect(drawn).toEqual(expect.arrayContaining(['Predicted label', 'True label', 'Confusion matrix']));
    expect(svg).toContain('linearGradient');
    expect(await rendersAt(svg)).toMatchObject({ height: expect.any(Number) });
  });

  it('writes cell text in white on dark cells and dark on light cells', () => {
    const svg = confusionMatrixSvg(cm);
    const fillOf = (content: string) => new RegExp(`fill="(#[0-9a-f]{6})"[^>]*>${content}</text>`).exec(svg)?.[1];
    expect(fillOf('50')).toBe('#ffffff');
    expect(fillOf('3')).toBe('#111111');
  });

  it('normalizes rows like sklearn normalize="true"', () => {
    const drawn = texts(confusionMatrixSvg(cm, { normalize: true }));
    expect(drawn).toEqual(expect.arrayContaining(['0.96', '0.80', '0.14', '1.00']));
    expect(drawn).toContain('Confusion matrix (normalized over true)');
  });

  it('accepts a Tensor and rejects non-square matrices and wrong label counts', () => {
    expect(texts(confusionMatrixSvg(tensor(cm)))).toContain('48');
    expect(() => confusionMatrixSvg([[1, 2]])).toThrow(/must be square/);
    expect(() => confusionMatrixSvg(cm, { labels: ['a'] })).toThrow(
      'plotConfusionMatrix: 1 labels given for a 3x3 confusion matrix.',
    );
  });
});

describe('plotImageGrid', () => {
  it('embeds each image and captions true and predicted labels, red when wrong', () => {
    const images = tensor(
      Float32Array.from({ length: 3 * 4 * 4 }, (_, i) => (i % 16) / 15),
      [3, 4, 4, 1],
    );
    const probabilities = tensor([0.9, 0.1, 0.2, 0.8, 0.7, 0.3], [3, 2]);
    const svg = imageGridSvg(images, { labels: [0, 1, 1], predictions: probabilities, classNames: ['cat', 'dog'] });
    expect(svg.match(/<image /g)?.length).toBe(3);
    const drawn = texts(svg);
    expect(drawn).toEqual(['true: cat', 'pred: cat (90%)', 'true: dog', 'pred: dog (80%)', 'true: dog', 'pred: cat (70%)']);
    expect(svg).toMatch(/font-weight="bold" fill="#c62828"[^>]*>pred: cat \(70%\)/);
  });

  it('rejects images without a batch axis', () => {
    expect(() => imageGridSvg(tensor([1, 2, 3]))).toThrow(/images must be \[count, height, width\]/);
  });
});

describe('picture files', () => {
  it('writes SVG or PNG by extension through a temporary name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capa-plot-'));
    await plotHistory(HISTORY, { toFile: join(dir, 'history.svg') });
    await plotHistory(HISTORY, { toFile: join(dir, 'history.png') });
    await plotConfusionMatrix(
      [
        [1, 0],
        [0, 1],
      ],
      { toFile: join(dir, 'nested', 'cm.png') },
    );
    await plotImageGrid(tensor(new Float32Array(2 * 3 * 3), [2, 3, 3]), { toFile: join(dir, 'grid.png') });
    expect(readdirSync(dir).sort()).toEqual(['grid.png', 'history.png', 'history.svg', 'nested']);
    expect(readFileSync(join(dir, 'history.svg'), 'utf8')).toMatch(/^<\?xml/);
    const png = await sharp(join(dir, 'history.png')).metadata();
    // PNGs render at twice the SVG size so text stays crisp.
    expect([png.format, png.width, png.height]).toEqual(['png', 1720, 620]);
    await expect(plotHistory(HISTORY, { toFile: join(dir, 'history.jpg') })).rejects.toThrow(
      /plotHistory: cannot tell the picture format of '.*history.jpg'; the file name must end in .svg or .png./,
    );
  });

  it('encodes PNGs that decode to the same pixels', async () => {
    const pixels = Uint8Array.from([0, 64, 128, 255, 10, 20]);
    const { data, info } = await sharp(encodePng(pixels, 3, 2, 1))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([3, 2]);
    expect(Array.from(data)).toEqual(Array.from(pixels));
    const rgb = Uint8Array.from({ length: 2 * 2 * 3 }, (_, i) => i * 20);
    const decoded = await sharp(encodePng(rgb, 2, 2, 3))
      .raw()
      .toBuffer();
    expect(Array.from(decoded)).toEqual(Array.from(rgb));
  });
});

describe('axis ticks', () => {
  it('picks round steps and labels them without float noise', () => {
    expect(niceTicks(0.71, 0.973, 5)).toEqual({ domain: [0.7, 1], ticks: [0.7, 0.8, 0.9, 1] });
    expect(niceTicks(0.02, 0.26, 5)).toEqual({ domain: [0, 0.3], ticks: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3] });
    expect(formatTicks([0, 0.25, 0.5])).toEqual(['0.00', '0.25', '0.50']);
    expect(formatTicks([0, 250, 500])).toEqual(['0', '250', '500']);
  });
});
