import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aesGcmCodec';

/** ETL_PAYLOAD_KEY or ETL_PAYLOAD_KEY_ID is malformed: bad input, reported before anything starts. */
export class PayloadKeyError extends Error {}

type Environment = Record<string, string | undefined>;

/** The payload codec configured by ETL_PAYLOAD_KEY (and ETL_PAYLOAD_KEY_ID), or undefined when encryption is off. */
export function payloadCodecFromEnv(env: Environment = process.env): AesGcmCodec | undefined {
  const encodedKey = env.ETL_PAYLOAD_KEY?.trim();
  if (!encodedKey) return undefined;
  const key = Buffer.from(encodedKey, 'base64');
  // Buffer.from ignores characters that are not base64, so insist the text is exactly the key's encoding.
  if (key.length !== 32 || key.toString('base64') !== encodedKey) {
    throw new PayloadKeyError('ETL_PAYLOAD_KEY must be the base64 encoding of 32 random bytes (make one with `openssl rand -base64 32`)');
  }
  const keyId = env.ETL_PAYLOAD_KEY_ID?.trim() || 'default';
  return new AesGcmCodec(key, keyId);
}

/** The data converter shared by the client and the worker: both must agree, or neither can read the other's payloads. */
export function dataConverterFromEnv(env: Environment = process.env): DataConverter | undefined {
  const codec = payloadCodecFromEnv(env);
  return codec && { payloadCodecs: [codec] };
}
