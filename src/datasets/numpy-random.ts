/**
 * NumPy's legacy `np.random.RandomState(seed).shuffle` (MT19937 seeded by `init_genrand`, then
 * Fisher-Yates drawing each index by masked rejection), so datasets shuffled by a seed, as
 * Keras's imdb / reuters / boston_housing loaders do, come out in Keras's order.
 */

class MersenneTwister {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = (this.mt[i - 1] as number) ^ ((this.mt[i - 1] as number) >>> 30);
      // 1812433253 * prev + i, in 32 bits
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = ((mt[i] as number) & 0x80000000) | ((mt[(i + 1) % 624] as number) & 0x7fffffff);
      mt[i] = (mt[(i + 397) % 624] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

/** NumPy's legacy RandomState, the part the dataset loaders use. */
export class NumpyRandomState {
  private readonly mt: MersenneTwister;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new Error(`RandomState: seed must be an integer in [0, 2**32 - 1], received ${seed}.`);
    this.mt = new MersenneTwister(seed);
  }

  /** An integer in [0, max] (NumPy's `random_interval`, for max < 2**32). */
  private interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    for (;;) {
      const v = (this.mt.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  /** `rng.shuffle(x)` in place. */
  shuffle<T>(x: T[] | Int32Array): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = x[i] as T;
      x[i] = x[j] as T;
      x[j] = t;
    }
  }

  /** `rng.shuffle(np.arange(n))`. */
  permutation(n: number): Int32Array {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    this.shuffle(p);
    return p;
  }
}
