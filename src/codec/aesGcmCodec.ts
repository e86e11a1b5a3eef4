import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const encryptedEncoding = 'binary/encrypted';
const keyIdMetadata = 'encryption-key-id';
const ivBytes = 12;
const tagBytes = 16;

/** Raised when an encrypted payload cannot be read with the configured key. */
export class PayloadDecryptionError extends Error {}

/**
 * Encrypts each whole payload (its data and its metadata, such as the JSON encoding) with AES-256-GCM,
 * so Temporal only ever stores ciphertext. A payload's data is IV | ciphertext | auth tag; the key id
 * is authenticated too, so a payload cannot be relabelled to another key.
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(
    private readonly key: Buffer,
    private readonly keyId: string,
  ) {
    if (key.length !== 32) throw new Error(`an AES-256 key has 32 bytes, got ${key.length}`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(this.keyId));
    const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: { encoding: Buffer.from(encryptedEncoding), [keyIdMetadata]: Buffer.from(this.keyId) },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = Buffer.from(payload.metadata?.[keyIdMetadata] ?? []).toString();
    if (keyId !== this.keyId) {
      throw new PayloadDecryptionError(`payload was encrypted with key id "${keyId}" but ETL_PAYLOAD_KEY_ID is "${this.keyId}": set the key it was written with`);
    }
    const data = Buffer.from(payload.data ?? []);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, ivBytes)).setAAD(Buffer.from(keyId));
      decipher.setAuthTag(data.subarray(data.length - tagBytes));
      const plaintext = Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plaintext);
    } catch {
      throw new PayloadDecryptionError(
        `cannot decrypt a payload with key id "${keyId}": ETL_PAYLOAD_KEY is not the key it was written with, or the payload was altered`,
      );
    }
  }
}

function isEncrypted(payload: Payload): boolean {
  return Buffer.from(payload.metadata?.encoding ?? []).toString() === encryptedEncoding;
}
