import * as http from 'http';
import * as https from 'https';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** CloudFormation rejects a response body larger than this. */
export const MAX_RESPONSE_BYTES = 4096;
const PUT_ATTEMPTS = 3;

export type Result =
  | { readonly status: 'SUCCESS'; readonly physicalResourceId: string; readonly data: Record<string, string> }
  | { readonly status: 'FAILED'; readonly physicalResourceId: string; readonly reason: string };

/** The JSON body CloudFormation expects, cut to fit in 4 KB: the reason is shortened first, then Data dropped. */
export function responseBody(event: CloudFormationCustomResourceEvent, result: Result): string {
  const body = {
    Status: result.status,
    Reason: result.status === 'FAILED' ? result.reason : 'OK',
    PhysicalResourceId: result.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: result.status === 'SUCCESS' ? result.data : undefined,
  };
  let json = JSON.stringify(body);
  const excess = Buffer.byteLength(json) - MAX_RESPONSE_BYTES;
  if (excess > 0) {
    body.Reason = truncate(body.Reason, Buffer.byteLength(body.Reason) - excess - 3);
    json = JSON.stringify(body);
  }
  if (Buffer.byteLength(json) > MAX_RESPONSE_BYTES) {
    json = JSON.stringify({ ...body, Reason: 'The response was too large for CloudFormation', Data: undefined });
  }
  return json;
}

function truncate(text: string, maxBytes: number): string {
  let cut = text;
  while (Buffer.byteLength(cut) > Math.max(0, maxBytes)) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return `${cut}...`;
}

/** PUTs the response to CloudFormation's pre-signed URL, retrying network failures a few times. */
export async function putResponse(url: string, body: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await put(url, body);
    } catch (error) {
      if (attempt >= PUT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

function put(url: string, body: string): Promise<void> {
  const transport = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: 10_000,
    }, (response) => {
      response.resume();
      response.on('end', () => ((response.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`response PUT answered ${response.statusCode}`))));
    });
    request.on('timeout', () => request.destroy(new Error('response PUT timed out')));
    request.on('error', reject);
    request.end(body);
  });
}
