/**
 * DEFLATE decompression that never produces more than it is allowed to. fflate's streaming
 * inflater emits everything one pushed chunk holds at once, and DEFLATE packs at most 1032
 * output bytes into one input byte (a 258-byte match per 2 bits), so the input is fed in slices
 * small enough that even a maximal slice cannot pass the allowance by more than `SLACK` bytes. The
 * output grows with what really arrives: nothing is allocated for a size an archive merely claims.
 */
import { Inflate } from 'fflate';

/** The most output one input byte of a DEFLATE stream can produce. */
const MAX_DEFLATE_RATIO = 1032;
/** The smallest slice fed to the inflater; bounds how far one push can overshoot the allowance. */
const MIN_SLICE = 1 << 10;
/** The largest slice fed at once (keeps each push's output buffer small). */
const MAX_SLICE = 64 << 10;
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
 * Output that doubles as it grows (each byte copied O(1) times on average), up to `cap`: an entry
 * whose declared size is honest ends in a buffer of exactly that size, with no final copy.
 */
class Output {
  bytes = new Uint8Array(0);
  length = 0;
  constructor(private readonly cap: number) {}
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
  const out = new Output(bounds.maxBytes);
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
