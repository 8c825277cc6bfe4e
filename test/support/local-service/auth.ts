// Who is calling: account and region from the SigV4 Authorization header. The signature itself is not checked.
import { ServiceError } from './errors';
import { SERVICE } from './model.generated';

export interface Caller { accountId: string; region: string; accessKeyId: string }

const SIGV4 = /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,/;

/**
 * Parses `AWS4-HMAC-SHA256 Credential=<AKID>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...`.
 * The account is the role's for a role session's key (`accountOfKey`), the access key id itself when it is 12 digits (so
 * tests can pick an account), else `defaultAccountId`.
 *
 * Rejections are 403s that real AWS front ends give before any operation runs (so they are not model errors):
 * - no Authorization header -> `MissingAuthenticationTokenException` ("Missing Authentication Token"), the answer AWS
 *   gives an unsigned request; the SDK always signs, so this only shows up for hand-made requests;
 * - not a SigV4 header -> `IncompleteSignatureException`;
 * - a credential scoped to another service than `ses` -> `InvalidSignatureException` with AWS's wording.
 */
export function callerOf(
  authorization: string | undefined, defaultAccountId: string, accountOfKey: (accessKeyId: string) => string | undefined = () => undefined,
): Caller {
  if (!authorization) {
    throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  }
  const m = SIGV4.exec(authorization);
  if (!m) {
    throw new ServiceError('IncompleteSignatureException',
      'Authorization header requires \'Credential\', \'SignedHeaders\' and \'Signature\' parameters of an AWS4-HMAC-SHA256 signature.', 403);
  }
  const [, accessKeyId, , region, service] = m;
  if (service !== SERVICE.signingName) {
    throw new ServiceError('InvalidSignatureException', `Credential should be scoped to correct service: '${SERVICE.signingName}'.`, 403);
  }
  const accountId = accountOfKey(accessKeyId) ?? (/^\d{12}$/.test(accessKeyId) ? accessKeyId : defaultAccountId);
  return { accountId, region, accessKeyId };
}
