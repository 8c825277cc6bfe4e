/**
 * The private keys of BYODKIM identities: one RSA key per version of each secret of BYODKIM_SECRETS, made once per
 * process and put in the local Secrets Manager (test/support/local-secrets.ts) that the handler reads. The service
 * keeps only a key's fingerprint (the SHA-256 of the base64 DER sent); `keyName` names the version it came from.
 */
import { createHash, generateKeyPairSync } from 'crypto';
import { BYODKIM_SECRETS, BYODKIM_VERSIONS, ByoDkimVersion, keyLabel } from './kinds/ses-v2-options';
import type { LocalSecretsManager } from '../support/local-secrets';

interface Key {
  readonly secret: string;
  readonly version: ByoDkimVersion;
  readonly pem: string;
  readonly sha256: string;
}

let keys: Key[] | undefined;

function byodkimKeys(): Key[] {
  keys ??= BYODKIM_SECRETS.flatMap((secret) => BYODKIM_VERSIONS.map((version) => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const body = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    return { secret, version, pem, sha256: createHash('sha256').update(body).digest('hex') };
  }));
  return keys;
}

/** Puts every BYODKIM key in `secrets` (again after a reset), v1 first: v2 is then `AWSCURRENT`, v1 `AWSPREVIOUS`. */
export function putByoDkimKeys(secrets: LocalSecretsManager): void {
  for (const key of byodkimKeys()) secrets.putSecret(key.secret, key.pem, { versionId: `${key.secret}-${key.version}` });
}

/** The key (keyLabel) whose fingerprint this is, or the fingerprint itself for a key of no secret of ours. */
export function keyName(sha256: string): string {
  const key = byodkimKeys().find((k) => k.sha256 === sha256);
  return key ? keyLabel(key.secret, key.version) : `sha256:${sha256}`;
}
