/** Scalar math missing from `Math`. */

/** erf to within 1.2e-7 (Numerical Recipes' erfc with Chebyshev fit), enough for float32. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/**
 * x ** y with C's `pow` (IEEE 754) answers where JavaScript's differ: 1 ** y is 1 for every y
 * (NaN and ±Infinity included) and (-1) ** ±Infinity is 1. TensorFlow, PyTorch and the native
 * backend follow C; JavaScript's `**` gives NaN for these.
 */
export function pow(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return x ** y;
}
