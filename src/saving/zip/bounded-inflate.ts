/**
 * DEFLATE decompression that never produces more than it is allowed to. fflate's streaming
 * inflater emits everything one pushed chunk holds at once, and DEFLATE packs at most 1032
 * output bytes into one input byte (a 258-byte match per 2 bits), so the input is fed in slices
 * small enough that even a maximal slice cannot pass the allowance by more than about 4 MiB
 * (MIN_SLICE x 1032). The output grows with what really arrives: nothing is written for a size an
 * archive merely claims.
 */
import { Inflate } from 'fflate';

/** The most output one input byte of a DEFLATE stream can produce. */
const MAX_DEFLATE_RATIO = 1032;
/**
 * The smallest slice fed to the inflater; bounds how far one push can overshoot the allowance.
 * Smaller slices make the last megabytes of an honest entry slow (fflate copies its 32 KiB window
 * on every push); at 4 KiB reading stays as fast as with 1 MiB pushes.
 */
const MIN_SLICE = 4 << 10;
/** The largest slice fed at once (the output of one push stays within the allowance anyway). */
const MAX_SLICE = 1 << 20;
/** Output below this size is never judged by its compression ratio (tiny files compress oddly well). */
const RATIO_GRACE_BYTES = 1 << 20;

export interface InflateBounds {
  /** Stop with an error as soon as the output would pass this many bytes. */
  maxBytes: number;
  /** Stop with an error once the output passes this many times the input consumed (after a 1 MiB grace). */
  maxRatio: number;
}

/** Why the inflater stopped early. */
export type InflateStop = { kind: 'too-large'; written: number } | { kind: 'ratio'; written: number; consumed: number };

export class InflateStopped extends Error {
  constructor(readonly stop: InflateStop) {
    super(`inflating stopped: ${stop.kind}`);
  }
}

/**
 * Output that starts at the size the input can plausibly produce and doubles past it (each byte
 * copied O(1) times on average), never beyond `cap`: an entry whose declared size is honest ends
 * in a buffer of exactly that size, with no final copy. Pages of a fresh buffer cost no memory
 * until they are written.
 */
class Output {
  bytes: Uint8Array;
  length = 0;
  constructor(
    initial: number,
    private readonly cap: number,
  ) {
    this.bytes = new Uint8Array(Math.min(initial, cap));
  }
  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.bytes.length) {
      const wanted = Math.max(this.bytes.length * 2, 1 << 16);
      const grown = new Uint8Array(Math.max(this.length + chunk.length, Math.min(wanted, this.cap)));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }
}

/**
 * Inflates `packed` (raw DEFLATE) within `bounds`; throws `InflateStopped` when a bound is hit and
 * lets fflate's own errors (corrupt streams) through.
 */
export function inflateBounded(packed: Uint8Array, bounds: InflateBounds): Uint8Array {
  // Room for what the input may produce under the ratio limit, at most 256 MiB up front.
  const plausible = Math.max(RATIO_GRACE_BYTES, packed.length * bounds.maxRatio);
  const out = new Output(Math.min(256 << 20, plausible), bounds.maxBytes);
  let consumed = 0;
  let stop: InflateStop | null = null;
  const inflater = new Inflate((chunk) => {
    if (stop) return;
    if (out.length + chunk.length > bounds.maxBytes) {
      stop = { kind: 'too-large', written: out.length + chunk.length };
      return;
    }
    out.append(chunk);
    if (out.length > RATIO_GRACE_BYTES && out.length > bounds.maxRatio * consumed) {
      stop = { kind: 'ratio', written: out.length, consumed };
    }
  });
  while (consumed < packed.length) {
    // What may still come out: up to the size cap, and up to the ratio cap for the input so far.
    const byRatio = consumed === 0 ? 0 : bounds.maxRatio * consumed;
    const allowed = Math.min(bounds.maxBytes, Math.max(RATIO_GRACE_BYTES, byRatio));
    const room = Math.max(0, allowed - out.length);
    const slice = Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.floor(room / MAX_DEFLATE_RATIO)));
    const end = Math.min(packed.length, consumed + slice);
    const input = packed.subarray(consumed, end);
    consumed = end;
    inflater.push(input, end === packed.length);
    if (stop) throw new InflateStopped(stop);
  }
  if (packed.length === 0) inflater.push(packed, true);
  if (stop) throw new InflateStopped(stop);
  return out.length === out.bytes.length ? out.bytes : out.bytes.slice(0, out.length);
}
