/**
 * capa's FarmHash Fingerprint64 against TensorFlow.js's `stringToHashBucketFast` (TensorFlow's
 * `to_hash_bucket_fast`, which Keras's Hashing layer calls), over every length branch of the hash.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { hashBucketFast, sipHash24 } from '../../../src/layers/preprocessing/lookup/farmhash.js';

const WORDS = [
  '',
  'a',
  'ab',
  'abc',
  'abcd',
  'hello',
  'hello wo',
  'hello world!',
  'seventeen chars!!',
  'x'.repeat(33),
  'y'.repeat(64),
  'z'.repeat(65),
  'The quick brown fox jumps over the lazy dog and then some more text to pass one hundred and twenty-eight bytes, ok?',
  'héllo wörld ünïcode',
  '[UNK]',
];

describe('fingerprint64', () => {
  it('buckets strings as TensorFlow.js stringToHashBucketFast does', () => {
    for (const buckets of [2147483647, 1000, 3]) {
      const expected = Array.from(tf.string.stringToHashBucketFast(tf.tensor1d(WORDS, 'string'), buckets).dataSync());
      expect(WORDS.map((w) => hashBucketFast(w, buckets))).toEqual(expected);
    }
  });
});

describe('sipHash24', () => {
  it('matches the SipHash paper test vector (key 00..0f, message 00..0e)', () => {
    const key: [bigint, bigint] = [0x0706050403020100n, 0x0f0e0d0c0b0a0908n];
    const msg = Uint8Array.from({ length: 15 }, (_, i) => i);
    expect(sipHash24(key, msg)).toBe(0xa129ca6149be45e5n);
  });
});
