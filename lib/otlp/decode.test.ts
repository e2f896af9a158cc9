import { gzipSync } from 'node:zlib';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, test } from 'vitest';
import { collectSdkMetrics, EVERY_KIND_VIEWS, recordEveryKind, serializeSdkMetrics, wire } from '../../test/otel/sdk-payloads';
import { decodeMetricsBody, encodeExportResponse, encodeStatus, OtlpTooLargeError, OtlpUnsupportedMediaTypeError } from './decode';
import { OtlpDecodeError } from './model';
import { decodeProtobufMetricsRequest } from './protobuf';

const MB = 1024 * 1024;
const sdk = await collectSdkMetrics({ views: EVERY_KIND_VIEWS, record: recordEveryKind });
const protobufBody = serializeSdkMetrics(sdk, 'protobuf');
const jsonBody = serializeSdkMetrics(sdk, 'json');
const expected = decodeProtobufMetricsRequest(protobufBody);

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('decodeMetricsBody', () => {
  test.each([
    ['application/x-protobuf', protobufBody, 'protobuf'],
    ['application/protobuf', protobufBody, 'protobuf'],
    ['Application/X-Protobuf; proto=opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest', protobufBody, 'protobuf'],
    ['application/json', jsonBody, 'json'],
    ['application/json; charset=utf-8', jsonBody, 'json'],
    [' APPLICATION/JSON ;charset=UTF-8', jsonBody, 'json'],
  ] as const)('Content-Type %s', (contentType, body, format) => {
    expect(decodeMetricsBody(body, { contentType, contentEncoding: null, maxDecodedBytes: MB })).toEqual({ ...expected, format });
  });

  test.each([null, '', 'text/plain', 'application/jsonl', 'application/grpc', 'multipart/form-data; boundary=x'])(
    'Content-Type %j is unsupported (415)',
    (contentType) => {
      const error = thrown(() => decodeMetricsBody(protobufBody, { contentType, contentEncoding: null, maxDecodedBytes: MB }));
      expect(error).toBeInstanceOf(OtlpUnsupportedMediaTypeError);
      expect((error as Error).message).toMatch(contentType ? `unsupported Content-Type "${contentType}"` : 'a Content-Type is required');
    },
  );

  test.each(['gzip', 'GZIP', 'x-gzip', 'gzip, identity', ' identity , gzip'])('Content-Encoding %s round-trips both formats', (contentEncoding) => {
    const options = { contentEncoding, maxDecodedBytes: MB };
    expect(decodeMetricsBody(gzipSync(protobufBody), { ...options, contentType: 'application/x-protobuf' })).toEqual({ ...expected, format: 'protobuf' });
    expect(decodeMetricsBody(gzipSync(jsonBody), { ...options, contentType: 'application/json' })).toEqual({ ...expected, format: 'json' });
  });

  test.each([null, '', 'identity', 'Identity'])('Content-Encoding %j reads the body as it is', (contentEncoding) => {
    expect(decodeMetricsBody(protobufBody, { contentType: 'application/x-protobuf', contentEncoding, maxDecodedBytes: MB }).resourceMetrics).toEqual(
      expected.resourceMetrics,
    );
  });

  test.each(['deflate', 'br', 'zstd', 'gzip, gzip', 'gzip, br'])('Content-Encoding %j is unsupported (415) and named', (contentEncoding) => {
    const error = thrown(() => decodeMetricsBody(gzipSync(protobufBody), { contentType: 'application/x-protobuf', contentEncoding, maxDecodedBytes: MB }));
    expect(error).toBeInstanceOf(OtlpUnsupportedMediaTypeError);
    expect((error as Error).message).toBe(`unsupported Content-Encoding "${contentEncoding}": send gzip or identity`);
  });

  test('a gzip bomb (50 MB of zeros) stops at the cap with OtlpTooLargeError', () => {
    const bomb = gzipSync(new Uint8Array(50 * MB), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const error = thrown(() => decodeMetricsBody(bomb, { contentType: 'application/x-protobuf', contentEncoding: 'gzip', maxDecodedBytes: MB }));
    expect(error).toBeInstanceOf(OtlpTooLargeError);
    expect((error as Error).message).toBe(`the body exceeds ${MB} bytes once decompressed`);
  });

  test('a body exactly at the cap is accepted; a plain body over it is too large', () => {
    const compressed = gzipSync(protobufBody);
    const options = { contentType: 'application/x-protobuf', maxDecodedBytes: protobufBody.length };
    expect(decodeMetricsBody(compressed, { ...options, contentEncoding: 'gzip' }).resourceMetrics).toEqual(expected.resourceMetrics);
    expect(decodeMetricsBody(protobufBody, { ...options, contentEncoding: null }).resourceMetrics).toEqual(expected.resourceMetrics);
    expect(thrown(() => decodeMetricsBody(compressed, { ...options, contentEncoding: 'gzip', maxDecodedBytes: protobufBody.length - 1 }))).toBeInstanceOf(
      OtlpTooLargeError,
    );
    expect(thrown(() => decodeMetricsBody(protobufBody, { ...options, contentEncoding: null, maxDecodedBytes: protobufBody.length - 1 }))).toBeInstanceOf(
      OtlpTooLargeError,
    );
  });

  test.each([
    ['not gzip at all', protobufBody],
    ['a gzip header and garbage', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9])],
    ['a truncated gzip stream', gzipSync(protobufBody).subarray(0, 40)],
    [
      'a corrupted checksum',
      (() => {
        const body = Uint8Array.from(gzipSync(protobufBody));
        body[body.length - 6]! ^= 0xff;
        return body;
      })(),
    ],
    ['an empty body', new Uint8Array(0)],
  ])('corrupt gzip (%s) is OtlpDecodeError', (_, body) => {
    const error = thrown(() => decodeMetricsBody(body, { contentType: 'application/x-protobuf', contentEncoding: 'gzip', maxDecodedBytes: MB }));
    expect(error).toBeInstanceOf(OtlpDecodeError);
    expect((error as Error).message).toMatch(/^malformed gzip: /);
  });

  test('a JSON body sent as protobuf, and a protobuf body sent as JSON, are OtlpDecodeError', () => {
    expect(thrown(() => decodeMetricsBody(jsonBody, { contentType: 'application/x-protobuf', contentEncoding: null, maxDecodedBytes: MB }))).toBeInstanceOf(
      OtlpDecodeError,
    );
    expect(thrown(() => decodeMetricsBody(protobufBody, { contentType: 'application/json', contentEncoding: null, maxDecodedBytes: MB }))).toBeInstanceOf(
      OtlpDecodeError,
    );
  });
});

/** google.rpc.Status from protobuf, read by hand: the otlp-transformer has no deserializer for it. */
function readStatus(body: Uint8Array): { code?: number; message?: string } {
  const out: { code?: number; message?: string } = {};
  let pos = 0;
  const varint = () => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = body[pos++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (pos < body.length) {
    const tag = Number(varint());
    if (tag === 0x08) out.code = Number(BigInt.asIntN(32, varint()));
    else if (tag === 0x12) {
      const length = Number(varint());
      out.message = new TextDecoder().decode(body.subarray(pos, pos + length));
      pos += length;
    } else throw new Error(`unexpected tag ${tag}`);
  }
  return out;
}

describe('encodeExportResponse', () => {
  const message = 'rejected 3 points: gauge cpu.temperature is not an SLI metric ☃';

  test('protobuf partial success round-trips through the SDK exporter response deserializer', () => {
    const { body, contentType } = encodeExportResponse('protobuf', { rejectedDataPoints: 3, errorMessage: message });
    expect(contentType).toBe('application/x-protobuf');
    expect(ProtobufMetricsSerializer.deserializeResponse(body as Uint8Array)).toEqual({ partialSuccess: { rejectedDataPoints: 3, errorMessage: message } });
  });

  test('protobuf: large counts, a count without a message and a message without a count', () => {
    const decode = (partial: { rejectedDataPoints: number; errorMessage: string }) =>
      ProtobufMetricsSerializer.deserializeResponse(encodeExportResponse('protobuf', partial).body as Uint8Array);
    expect(decode({ rejectedDataPoints: 2 ** 40, errorMessage: '' })).toEqual({ partialSuccess: { rejectedDataPoints: 2 ** 40 } });
    expect(decode({ rejectedDataPoints: 0, errorMessage: 'a warning' })).toEqual({ partialSuccess: { errorMessage: 'a warning' } });
  });

  test('protobuf full success is an empty message', () => {
    for (const partial of [null, { rejectedDataPoints: 0, errorMessage: '' }]) {
      const { body } = encodeExportResponse('protobuf', partial);
      expect(body).toEqual(new Uint8Array(0));
      expect(ProtobufMetricsSerializer.deserializeResponse(body as Uint8Array)).toEqual({});
    }
  });

  test('JSON partial success and full success, through the SDK exporter response deserializer', () => {
    const partial = encodeExportResponse('json', { rejectedDataPoints: 3, errorMessage: message });
    expect(partial.contentType).toBe('application/json');
    expect(partial.body).toBe(JSON.stringify({ partialSuccess: { rejectedDataPoints: '3', errorMessage: message } }));
    expect(JsonMetricsSerializer.deserializeResponse(new TextEncoder().encode(partial.body as string))).toEqual({
      partialSuccess: { rejectedDataPoints: '3', errorMessage: message },
    });
    expect(encodeExportResponse('json', null)).toEqual({ body: '{}', contentType: 'application/json' });
    expect(encodeExportResponse('json', { rejectedDataPoints: 0, errorMessage: '' }).body).toBe('{}');
  });

  test('the protobuf response is what a hand-built ExportMetricsServiceResponse would be', () => {
    const { body } = encodeExportResponse('protobuf', { rejectedDataPoints: 300, errorMessage: 'x' });
    expect(body).toEqual(wire.message(1, wire.varint(1, 300), wire.string(2, 'x')));
  });
});

describe('encodeStatus', () => {
  test.each([
    [3, 'malformed protobuf: varint at byte 1 runs past the end of its message'],
    [16, 'an ingest token is required: send Authorization: Bearer <token>'],
    [8, 'ünïcödé ☃'],
    [0, ''],
  ])('protobuf google.rpc.Status code %d', (code, message) => {
    const { body, contentType } = encodeStatus('protobuf', code, message);
    expect(contentType).toBe('application/x-protobuf');
    expect(readStatus(body as Uint8Array)).toEqual({ ...(code === 0 ? {} : { code }), ...(message === '' ? {} : { message }) });
  });

  test('a negative code takes the ten-byte int32 form', () => {
    const { body } = encodeStatus('protobuf', -1, '');
    expect((body as Uint8Array).length).toBe(11);
    expect(readStatus(body as Uint8Array)).toEqual({ code: -1 });
  });

  test('JSON', () => {
    expect(encodeStatus('json', 3, 'bad "body"')).toEqual({ body: '{"code":3,"message":"bad \\"body\\""}', contentType: 'application/json' });
  });
});
