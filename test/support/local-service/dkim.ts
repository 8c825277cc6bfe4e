/**
 * SES v2's DKIM signing attributes of a domain identity: Easy DKIM (AWS_SES, with a key length) or Bring Your Own DKIM
 * (EXTERNAL, a selector and a private key). The private key is checked and then only its SHA-256 fingerprint is kept;
 * no answer ever contains it.
 */
import { createHash, createPrivateKey, KeyObject } from 'crypto';
import type { DkimAttributes, DkimSigningAttributes } from '@aws-sdk/client-sesv2';
import { badRequest } from './errors';
import { DEFAULT_DKIM_KEY_LENGTH, DkimSigningRecord, easyDkimTokens, EmailIdentityRecord } from './state';

/**
 * The signing that `origin` with `attributes` asks for. Easy DKIM takes only NextSigningKeyLength; BYODKIM takes the
 * selector and the private key, both, and no key length ([unverified]: SES documents each member for one method only).
 * A private key must be the base64 of a DER RSA key of 1024 or 2048 bits, as the model documentation says.
 */
export function requestedSigning(origin: 'AWS_SES' | 'EXTERNAL', attributes: DkimSigningAttributes | undefined): DkimSigningRecord {
  const { DomainSigningSelector: selector, DomainSigningPrivateKey: privateKey, NextSigningKeyLength: keyLength } = attributes ?? {};
  if (origin === 'AWS_SES') {
    if (selector !== undefined || privateKey !== undefined) {
      throw badRequest('Easy DKIM (AWS_SES) takes no DomainSigningSelector or DomainSigningPrivateKey: those are for Bring Your Own DKIM.');
    }
    const length = keyLength ?? DEFAULT_DKIM_KEY_LENGTH;
    return { origin, nextSigningKeyLength: length, currentSigningKeyLength: length, lastKeyGeneration: new Date() };
  }
  if (selector === undefined || privateKey === undefined) {
    throw badRequest('Bring Your Own DKIM (EXTERNAL) needs both DomainSigningSelector and DomainSigningPrivateKey.');
  }
  if (keyLength !== undefined) throw badRequest('NextSigningKeyLength is for Easy DKIM; Bring Your Own DKIM uses the key it is given.');
  checkPrivateKey(privateKey);
  return { origin, selector, privateKeySha256: createHash('sha256').update(privateKey).digest('hex') };
}

/** A 1024- or 2048-bit RSA private key, DER (PKCS #1 or PKCS #8) in base64. The error never quotes the key. */
function checkPrivateKey(base64: string): void {
  const der = Buffer.from(base64, 'base64');
  const key = (['pkcs1', 'pkcs8'] as const).map((type): KeyObject | undefined => {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      return undefined;
    }
  }).find((k) => k !== undefined);
  const bits = key?.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
  if (bits !== 1024 && bits !== 2048) {
    throw badRequest('DomainSigningPrivateKey must be a base64-encoded 1024-bit or 2048-bit RSA private key.');
  }
}

/** A domain's signing, with Easy DKIM's default for a domain that never set one; undefined for an email address. */
export function signingOf(identity: EmailIdentityRecord): DkimSigningRecord | undefined {
  if (identity.identityType !== 'DOMAIN') return undefined;
  return identity.dkimSigning ?? { origin: 'AWS_SES', nextSigningKeyLength: DEFAULT_DKIM_KEY_LENGTH, currentSigningKeyLength: DEFAULT_DKIM_KEY_LENGTH };
}

/**
 * Applies a new signing to a domain: BYODKIM's token is its selector; a switch to Easy DKIM makes a new key pair (three new
 * tokens). Either way DKIM is PENDING again, until DNS answers (`AccountState.verifyIdentity`). [decision] Whether
 * messages are signed stays PutEmailIdentityDkimAttributes' (SigningEnabled is kept).
 */
export function applySigning(identity: EmailIdentityRecord, signing: DkimSigningRecord): void {
  identity.dkimSigning = signing;
  identity.dkim = { ...identity.dkim, Status: 'PENDING', Tokens: signing.origin === 'EXTERNAL' ? [signing.selector] : easyDkimTokens() };
}

/** The DkimAttributes that SES v2 answers (Pinpoint Email's answer keeps its three members). */
export function dkimAttributes(identity: EmailIdentityRecord): DkimAttributes {
  const signing = signingOf(identity);
  if (!signing) return identity.dkim;
  if (signing.origin === 'EXTERNAL') return { ...identity.dkim, SigningAttributesOrigin: 'EXTERNAL' };
  return {
    ...identity.dkim,
    SigningAttributesOrigin: 'AWS_SES',
    NextSigningKeyLength: signing.nextSigningKeyLength,
    CurrentSigningKeyLength: signing.currentSigningKeyLength,
    LastKeyGenerationTimestamp: signing.lastKeyGeneration,
  };
}
