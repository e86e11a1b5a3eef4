import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, encryptedEncoding } from '../../src/codec/aesGcmCodec';
import { dataConverterFromEnv, PayloadKeyError } from '../../src/codec/dataConverter';

const key = randomBytes(32);
const codec = new AesGcmCodec(key, 'test-key');
const plaintext = { pipeline: 'orders', bucket: 'etl-data-lake', date: '2024-01-15' };
const payload = () => defaultPayloadConverter.toPayload(plaintext);
const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString();

test('an encrypted payload names its encoding and key, hides the data, and decodes to the original', async () => {
  const [encrypted] = await codec.encode([payload()]);

  expect(text(encrypted.metadata?.encoding)).toBe(encryptedEncoding);
  expect(text(encrypted.metadata?.['encryption-key-id'])).toBe('test-key');
  expect(text(encrypted.data)).not.toContain('etl-data-lake');
  expect(text(encrypted.data)).not.toContain('json/plain'); // the inner encoding is encrypted too

  const [decoded] = await codec.decode([encrypted]);
  expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(plaintext);
});

test('encrypting the same payload twice gives different ciphertexts (a fresh IV each time)', async () => {
  const [first, second] = await codec.encode([payload(), payload()]);
  expect(text(first.data)).not.toEqual(text(second.data));
});

test('a tampered ciphertext is rejected, not decoded into something else', async () => {
  const [encrypted] = await codec.encode([payload()]);
  const data = Buffer.from(encrypted.data!);
  data[20] ^= 0x01;

  await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow(/cannot decrypt a payload with key id "test-key"/);
});

test('the wrong key, or another key id, is a clear error', async () => {
  const [encrypted] = await codec.encode([payload()]);

  await expect(new AesGcmCodec(randomBytes(32), 'test-key').decode([encrypted])).rejects.toThrow(
    'ETL_PAYLOAD_KEY is not the key it was written with, or the payload was altered',
  );
  await expect(new AesGcmCodec(key, 'other-key').decode([encrypted])).rejects.toThrow(
    'payload was encrypted with key id "test-key" but ETL_PAYLOAD_KEY_ID is "other-key"',
  );
});

test('payloads that were never encrypted pass through decode untouched', async () => {
  const plain: Payload = payload();
  const [decoded] = await codec.decode([plain]);
  expect(decoded).toBe(plain);
});

describe('dataConverterFromEnv', () => {
  test('no ETL_PAYLOAD_KEY means no encryption', () => {
    expect(dataConverterFromEnv({})).toBeUndefined();
  });

  test('a valid key turns on the codec', () => {
    expect(dataConverterFromEnv({ ETL_PAYLOAD_KEY: randomBytes(32).toString('base64') })?.payloadCodecs).toHaveLength(1);
  });

  test.each([
    ['not base64', 'not a key!'],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['64 bytes', randomBytes(64).toString('base64')],
  ])('a malformed key (%s) is rejected with what to do', (_, value) => {
    expect(() => dataConverterFromEnv({ ETL_PAYLOAD_KEY: value })).toThrow(PayloadKeyError);
    expect(() => dataConverterFromEnv({ ETL_PAYLOAD_KEY: value })).toThrow('openssl rand -base64 32');
  });
});
