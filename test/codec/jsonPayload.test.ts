import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, payloadToJSON } from '../../src/codec/jsonPayload';

test('a payload goes to the codec protocol’s JSON as base64 and comes back unchanged', () => {
  const payload = defaultPayloadConverter.toPayload({ date: '2024-01-15', rows: 42 });
  const json = payloadToJSON(payload);
  expect(json).toEqual({
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from('{"date":"2024-01-15","rows":42}').toString('base64'),
  });
  const back = JSONToPayload(json);
  expect(defaultPayloadConverter.fromPayload(back)).toEqual({ date: '2024-01-15', rows: 42 });
});

test('empty metadata and data are left out, as proto JSON does', () => {
  expect(payloadToJSON({ metadata: {}, data: new Uint8Array() })).toEqual({});
  expect(JSONToPayload({})).toEqual({ metadata: {} });
});

test('URL-safe and unpadded base64 are read too; text that is not base64 is refused, not decoded into other bytes', () => {
  expect(Buffer.from(JSONToPayload({ data: '-_8' }).data!)).toEqual(Buffer.from([0xfb, 0xff]));
  expect(() => JSONToPayload({ data: 'not base64!' })).toThrow("the payload's data is not base64");
  expect(() => JSONToPayload({ metadata: { encoding: 'a' } })).toThrow("the payload's metadata.encoding is not base64");
});
