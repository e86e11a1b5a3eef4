import type { Payload } from '@temporalio/common';

/**
 * A payload as the codec server protocol (and Temporal's proto JSON) writes it: metadata values and data in
 * base64. The SDK's own converters are internal to it, so the codec server carries these two small ones.
 */
export interface JSONPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

export function payloadToJSON({ metadata, data }: Payload): JSONPayload {
  const entries = Object.entries(metadata ?? {}).map(([key, value]) => [key, base64(value)] as const);
  return {
    ...(entries.length > 0 && { metadata: Object.fromEntries(entries) }),
    ...(data?.length && { data: base64(data) }),
  };
}

export function JSONToPayload({ metadata, data }: JSONPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, bytes(value, `metadata.${key}`)])),
    ...(data && { data: bytes(data, 'data') }),
  };
}

function base64(value: Uint8Array | null | undefined): string {
  return Buffer.from(value ?? []).toString('base64');
}

// Proto JSON accepts standard or URL-safe base64, padded or not. Node decodes any text, skipping what is not
// base64; a payload that is not base64 is refused instead.
const base64Text = /^(?:[\w+/-]{4})*(?:[\w+/-]{2}==|[\w+/-]{3}=|[\w+/-]{2,3})?$/;

function bytes(text: string, field: string): Uint8Array {
  if (!base64Text.test(text)) throw new TypeError(`the payload's ${field} is not base64`);
  return Buffer.from(text, 'base64');
}
