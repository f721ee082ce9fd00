/**
 * SigV4 against published vectors, offline:
 * - The presigned URL of the AWS S3 API reference, "Authenticating Requests: Using Query Parameters
 *   (AWS Signature Version 4)", example "GET examplebucket/test.txt" (AKIAIOSFODNN7EXAMPLE,
 *   2013-05-24, us-east-1, s3, X-Amz-Expires 86400, UNSIGNED-PAYLOAD):
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html (read 2026-12-01;
 *   the same values are asserted by several independent public implementations).
 * - The AWS SigV4 test suite's `get-vanilla` and `get-vanilla-query-order-key-case` header-signed
 *   requests (AKIDEXAMPLE, 20150830T123600Z, us-east-1, service `service`), as vendored in
 *   awslabs/aws-c-auth tests/aws-signing-test-suite/v4/ (read 2026-12-01). Its query canonical
 *   request there also shows a non-S3 presigned URL signs the empty payload's hash, as ours does.
 */
import assert from "node:assert/strict";
import {
  canonicalQuery,
  canonicalRequest,
  EMPTY_PAYLOAD_SHA256,
  presignUrl,
  sha256Hex,
  signRequest,
  uriEncode,
} from "./sigv4";

const S3_DOC = {
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  now: new Date("2013-05-24T00:00:00Z"),
};
const SUITE = {
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  now: new Date("2015-08-30T12:36:00Z"),
  host: "example.amazonaws.com",
  region: "us-east-1",
  service: "service",
};

describe("SigV4 (providers/aws/sigv4)", () => {
  it("presigns the AWS documentation's S3 example to its published URL and signature", () => {
    const url = presignUrl({
      method: "GET",
      host: "examplebucket.s3.amazonaws.com",
      path: "/test.txt",
      credentials: S3_DOC.credentials,
      region: "us-east-1",
      service: "s3",
      now: S3_DOC.now,
      expiresSeconds: 86400,
      payloadHash: "UNSIGNED-PAYLOAD",
    });
    assert.equal(
      url,
      "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    );
  });

  it("builds the documentation's canonical request for that example (its published hash)", () => {
    const canonical = canonicalRequest({
      method: "GET",
      path: "/test.txt",
      query: {
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request",
        "X-Amz-Date": "20130524T000000Z",
        "X-Amz-Expires": "86400",
        "X-Amz-SignedHeaders": "host",
      },
      headers: { Host: "examplebucket.s3.amazonaws.com" },
      payloadHash: "UNSIGNED-PAYLOAD",
    });
    assert.equal(sha256Hex(canonical), "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
  });

  it("signs the test suite's get-vanilla request to its published Authorization header", () => {
    const headers = signRequest({ method: "GET", path: "/", ...SUITE });
    assert.equal(headers["x-amz-date"], "20150830T123600Z");
    assert.equal(
      headers["authorization"],
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("sorts the query before signing (get-vanilla-query-order-key-case)", () => {
    const headers = signRequest({
      method: "GET",
      path: "/",
      query: { Param2: "value2", Param1: "value1" },
      ...SUITE,
    });
    assert.match(
      headers["authorization"] ?? "",
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });

  it("encodes as RFC 3986 wants (slash, space, reserved marks) and the empty payload hash is SHA-256 of nothing", () => {
    assert.equal(uriEncode("a/b c!*'()~"), "a%2Fb%20c%21%2A%27%28%29~");
    assert.equal(canonicalQuery({ b: "2", A: "0", a: "1" }), "A=0&a=1&b=2");
    assert.equal(sha256Hex(""), EMPTY_PAYLOAD_SHA256);
  });

  it("signs a session token into the request (x-amz-security-token header, X-Amz-Security-Token parameter)", () => {
    const credentials = { ...SUITE.credentials, sessionToken: "TOKEN/+=" };
    const headers = signRequest({ method: "GET", path: "/", ...SUITE, credentials });
    assert.equal(headers["x-amz-security-token"], "TOKEN/+=");
    assert.match(headers["authorization"] ?? "", /SignedHeaders=host;x-amz-date;x-amz-security-token,/);
    const url = new URL(presignUrl({ method: "GET", path: "/", ...SUITE, credentials, expiresSeconds: 60 }));
    assert.equal(url.searchParams.get("X-Amz-Security-Token"), "TOKEN/+=");
  });
});
