/// <reference lib="dom" />
/** Live loss / accuracy curves on a canvas (one point per batch), no chart library. */
export class Curves {
  private readonly loss: number[] = [];
  private readonly accuracy: number[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  add(loss: number, accuracy: number): void {
    this.loss.push(loss);
    this.accuracy.push(accuracy);
    this.draw();
  }

  private draw(): void {
    const { canvas } = this;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const w = canvas.width;
    const h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = '#ccc';
    ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
    const maxLoss = Math.max(...this.loss, 1e-6);
    const line = (values: number[], top: number, color: string) => {
      ctx.strokeStyle = color;
      ctx.beginPath();
      values.forEach((v, i) => {
        const x = (i / Math.max(values.length - 1, 1)) * (w - 10) + 5;
        const y = h - 5 - (v / top) * (h - 10);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
    };
    line(this.loss, maxLoss, '#d9480f');
    line(this.accuracy, 1, '#1c7ed6');
    ctx.fillStyle = '#333';
    ctx.font = '12px sans-serif';
    ctx.fillText(`loss ${this.loss.at(-1)?.toFixed(3)}`, 10, 16);
    ctx.fillText(`accuracy ${this.accuracy.at(-1)?.toFixed(3)}`, 10, 32);
  }
}
