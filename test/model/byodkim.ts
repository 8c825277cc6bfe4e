/**
 * The private keys of BYODKIM identities: one RSA key per secret of BYODKIM_SECRETS, made once per process and put in
 * the local Secrets Manager (test/support/local-secrets.ts) that the handler reads. The service keeps only a key's
 * fingerprint (the SHA-256 of the base64 DER sent); `keyName` names the secret it came from.
 */
import { createHash, generateKeyPairSync } from 'crypto';
import { BYODKIM_SECRETS } from './kinds/ses-v2-options';
import type { LocalSecretsManager } from '../support/local-secrets';

let keys: Map<string, { pem: string; sha256: string }> | undefined;

function byodkimKeys(): Map<string, { pem: string; sha256: string }> {
  keys ??= new Map(BYODKIM_SECRETS.map((name) => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const body = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    return [name, { pem, sha256: createHash('sha256').update(body).digest('hex') }];
  }));
  return keys;
}

/** Puts every BYODKIM key in `secrets` (again after a reset). */
export function putByoDkimKeys(secrets: LocalSecretsManager): void {
  for (const [name, key] of byodkimKeys()) secrets.putSecret(name, key.pem);
}

/** The secret whose key has this fingerprint, or the fingerprint itself for a key of no secret of ours. */
export function keyName(sha256: string): string {
  for (const [name, key] of byodkimKeys()) if (key.sha256 === sha256) return name;
  return `sha256:${sha256}`;
}
