import { afterEach, describe, expect, it } from 'vitest';
import { setTrainingOutput } from '../../src/training/io.js';
import { formatLogValue, formatTimePerUnit, Progbar } from '../../src/training/progbar.js';

function capture(isTTY: boolean): { text: () => string } {
  let text = '';
  setTrainingOutput({ write: (s) => (text += s), isTTY });
  return { text: () => text };
}

/** A clock advanced by hand. */
function clock(): { now: () => number; tick: (s: number) => void } {
  let t = 100;
  return { now: () => t, tick: (s) => (t += s) };
}

afterEach(() => setTrainingOutput(null));

describe('Keras 2 progress bar', () => {
  it('draws the running line with ETA in place on a TTY, then the finished line', () => {
    const out = capture(true);
    const c = clock();
    const bar = new Progbar({ target: 1875, now: c.now });
    c.tick(0.022);
    bar.update(1, [
      ['loss', 2.3],
      ['accuracy', 0.1],
    ]);
    c.tick(0.022 * 31);
    bar.update(32, [
      ['loss', 0.7431],
      ['accuracy', 0.78125],
    ]);
    const lines = out.text().split('\r').filter(Boolean);
    // ETA from the time per step after the first: 0.022 s/step * 1843 steps left = 40.5 s
    expect(lines[1]).toBe('  32/1875 [..............................] - ETA: 40s - loss: 0.7431 - accuracy: 0.7812');
    c.tick(0.022 * 1843);
    bar.update(1875, [
      ['loss', 0.25],
      ['accuracy', 0.9],
    ]);
    expect(
      out.text().endsWith('\r1875/1875 [==============================] - 41s 22ms/step - loss: 0.2500 - accuracy: 0.9000\n'),
    ).toBe(true);
  });

  it('puts the arrow at the progress position and pads over a longer previous line', () => {
    const out = capture(true);
    const c = clock();
    const bar = new Progbar({ target: 10, now: c.now, interval: 0 });
    c.tick(1);
    bar.update(5, [['loss', 123.456789]]);
    c.tick(1);
    bar.update(6, [['loss', 1]]);
    const [first, second] = out.text().split('\r').filter(Boolean) as [string, string];
    expect(first).toBe(' 5/10 [==============>...............] - ETA: 1s - loss: 123.4568');
    expect(second).toBe(' 6/10 [=================>............] - ETA: 1s - loss: 1.0000  ');
  });

  it('prints only the finished line when not a TTY', () => {
    const out = capture(false);
    const c = clock();
    const bar = new Progbar({ target: 3, now: c.now });
    for (let i = 1; i <= 3; i++) {
      c.tick(0.5);
      bar.update(i, [['loss', 0.5 / i]]);
    }
    expect(out.text()).toBe('3/3 [==============================] - 2s 500ms/step - loss: 0.1667\n');
  });

  it('verbose 2 prints one summary line per epoch', () => {
    const out = capture(false);
    const c = clock();
    const bar = new Progbar({ target: 100, verbose: 2, now: c.now });
    c.tick(3);
    bar.update(50, [['loss', 1]]);
    c.tick(3);
    bar.update(100, [
      ['loss', 0.5],
      ['val_loss', 0.0001234],
    ]);
    expect(out.text()).toBe('100/100 - 6s - loss: 0.5000 - val_loss: 1.2340e-04 - 6s/epoch - 60ms/step\n');
  });

  it('formats values and times like Python', () => {
    expect(formatLogValue(0.00001234, true)).toBe('1.2340e-05');
    expect(formatLogValue(-0.5, true)).toBe('-0.5000');
    expect(formatLogValue(-0.5, false)).toBe('-5.0000e-01');
    expect(formatLogValue(Number.NaN, true)).toBe('nan');
    expect(formatLogValue(0.78125, true)).toBe('0.7812');
    expect(formatLogValue(0.78135, true)).toBe('0.7813');
    expect(formatLogValue(0.00015, true)).toBe('1.5000e-04');
    expect(formatTimePerUnit(0.0000123, 'step')).toBe(' 12us/step');
    expect(formatTimePerUnit(2.4, 'epoch')).toBe(' 2s/epoch');
  });

  it('shows Unknown when the step count is not known', () => {
    const out = capture(true);
    const c = clock();
    const bar = new Progbar({ target: null, now: c.now, interval: 0 });
    c.tick(1);
    bar.update(12, [['loss', 1]]);
    expect(out.text()).toBe('\r     12/Unknown - 1s 83ms/step - loss: 1.0000');
  });
});
