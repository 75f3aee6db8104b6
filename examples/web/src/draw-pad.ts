/// <reference lib="dom" />
/** A canvas to draw a digit on (white on black, like MNIST), read as a 28x28 grayscale image. */
import * as capa from 'capa';

export class DrawPad {
  private drawing = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly onChange: () => void,
  ) {
    this.clear();
    const ctx = this.context();
    const at = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height] as const;
    };
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      ctx.beginPath();
      ctx.moveTo(...at(e));
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      ctx.lineTo(...at(e));
      ctx.stroke();
    });
    const end = (e: PointerEvent) => {
      if (!this.drawing) return;
      // pointermove events are coalesced to frames: finish the stroke where the pointer left off
      ctx.lineTo(...at(e));
      ctx.stroke();
      this.drawing = false;
      this.onChange();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointerleave', end);
  }

  private context(): CanvasRenderingContext2D {
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D context');
    return ctx;
  }

  clear(): void {
    const ctx = this.context();
    ctx.fillStyle = 'black';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.strokeStyle = 'white';
    ctx.lineWidth = this.canvas.width / 12;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
  }

  /** The drawing as the model's input: [1, 28, 28, 1] in 0..1. */
  async input(): Promise<capa.Tensor> {
    const img = await capa.preprocessing.image.loadImg(this.canvas, {
      targetSize: [28, 28],
      colorMode: 'grayscale',
      interpolation: 'bilinear',
    });
    return capa.preprocessing.image.imgToArray(img).div(255).reshape([1, 28, 28, 1]);
  }
}
