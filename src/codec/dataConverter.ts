import { createHmac } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aesGcmCodec';

/** An encryption setting (ETL_PAYLOAD_KEY, ETL_PAYLOAD_KEY_ID, ETL_CODEC_SERVER_TOKEN) is malformed: bad input, reported before anything starts. */
export class PayloadKeyError extends Error {}

type Environment = Record<string, string | undefined>;

/** The 32-byte key in ETL_PAYLOAD_KEY, or undefined when encryption is off. */
function payloadKeyFromEnv(env: Environment): Buffer | undefined {
  const encodedKey = env.ETL_PAYLOAD_KEY?.trim();
  if (!encodedKey) return undefined;
  const key = Buffer.from(encodedKey, 'base64');
  // Buffer.from ignores characters that are not base64, so insist the text is exactly the key's encoding.
  if (key.length !== 32 || key.toString('base64') !== encodedKey) {
    throw new PayloadKeyError('ETL_PAYLOAD_KEY must be the base64 encoding of 32 random bytes (make one with `openssl rand -base64 32`)');
  }
  return key;
}

/** The payload codec configured by ETL_PAYLOAD_KEY (and ETL_PAYLOAD_KEY_ID), or undefined when encryption is off. */
export function payloadCodecFromEnv(env: Environment = process.env): AesGcmCodec | undefined {
  const key = payloadKeyFromEnv(env);
  if (!key) return undefined;
  const keyId = env.ETL_PAYLOAD_KEY_ID?.trim() || 'default';
  return new AesGcmCodec(key, keyId);
}

/**
 * The data converter shared by the client and the worker: both must agree, or neither can read the other's
 * payloads. With encryption on, failure messages and stack traces are encrypted as well.
 */
export function dataConverterFromEnv(env: Environment = process.env): DataConverter | undefined {
  const codec = payloadCodecFromEnv(env);
  return codec && { payloadCodecs: [codec], failureConverterPath: require.resolve('./failureConverter') };
}

/** A token fits in a URL path segment as it is, and is too long to guess. */
const tokenFormat = /^[A-Za-z0-9_-]{32,}$/;

/**
 * The codec server's token, the first segment of its endpoint's path: ETL_CODEC_SERVER_TOKEN, or by default
 * one derived from ETL_PAYLOAD_KEY (an HMAC, so it does not reveal the key). The default is the same for every
 * process holding the key, so whoever starts the codec server and whoever configures the UI agree on it.
 */
export function codecServerToken(env: Environment = process.env): string {
  const configured = env.ETL_CODEC_SERVER_TOKEN?.trim();
  if (configured) {
    if (!tokenFormat.test(configured)) {
      throw new PayloadKeyError('ETL_CODEC_SERVER_TOKEN must be at least 32 letters, digits, "-" or "_" (make one with `openssl rand -hex 32`)');
    }
    return configured;
  }
  const key = payloadKeyFromEnv(env);
  if (!key) throw new PayloadKeyError('the codec server decrypts with ETL_PAYLOAD_KEY: set it to the key the worker and clients use');
  return createHmac('sha256', key).update('etl codec server token').digest('base64url');
}

/** The codec endpoint to give the Temporal UI (`--ui-codec-endpoint`) and CLI (`--codec-endpoint`): the server's address and its token. */
export function codecServerEndpoint(serverUrl: string, env: Environment = process.env): string {
  return `${serverUrl.replace(/\/+$/, '')}/${codecServerToken(env)}`;
}
