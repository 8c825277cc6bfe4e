/**
 * A BYODKIM private key: read from the Secrets Manager secret that the user named, at deploy time, in the form SES
 * takes as `DomainSigningPrivateKey` (the key's DER, base64-encoded, without PEM armour or line breaks), and kept out of
 * every message: the custom resource's properties carry only the secret's ARN, and no failure repeats the key's text.
 */
import { createPrivateKey, KeyObject } from 'crypto';
import { ApiError } from './api';
import { ResourceFailure } from './errors';
import { Secrets, SecretValue, SecretVersion } from './secrets';

/** Where the key is: a version of a secret, and the JSON field of its text that holds the key (else the whole value). */
export interface PrivateKeySource extends SecretVersion {
  readonly jsonField?: string;
}

/** The model's pattern and length of `DomainSigningPrivateKey`. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_KEY_LENGTH = 20_480;
/** SES signs with 1024-bit or 2048-bit RSA keys (the model's documentation of DomainSigningPrivateKey). */
const RSA_KEY_BITS = [1024, 2048];
/** A run of base64 characters in a message that shares this many characters with the key is taken for part of it. */
const KEY_FRAGMENT_LENGTH = 16;

export async function readPrivateKey(secrets: Secrets, source: PrivateKeySource): Promise<string> {
  return privateKeyOf(await secrets.read(source), source);
}

/**
 * The key in a secret's value, as SES takes it. Accepted: a PEM private key (`-----BEGIN PRIVATE KEY-----` or
 * `-----BEGIN RSA PRIVATE KEY-----`), its base64 body alone (with or without line breaks), or, for a binary secret,
 * the DER bytes; of 1024 or 2048 bits. A failure names the secret and what is wrong, never any of its text.
 */
export function privateKeyOf(value: SecretValue, source: PrivateKeySource): string {
  const where = `the secret ${source.secretArn}${source.jsonField === undefined ? '' : ` (JSON field "${source.jsonField}")`}`;
  const fail = (why: string): ResourceFailure => new ResourceFailure(`the DKIM private key in ${where} ${why}`);
  let text = 'bytes' in value ? binaryAsText(value.bytes) : value.text;
  if (source.jsonField !== undefined) text = jsonField(text, source.jsonField, fail);
  if (/-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(text)) throw fail('is a public key: store the private key, and publish the public key in DNS');
  if (/-----BEGIN ENCRYPTED |^Proc-Type: *4, *ENCRYPTED/m.test(text)) throw fail('is encrypted: store it without a passphrase, as SES needs it in clear');
  const base64 = text
    .replace(/\\n/g, '\n') // a PEM pasted with its line breaks escaped
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('-----') && !/^[A-Za-z-]+:/.test(line)) // PEM armour and header lines
    .join('')
    .replace(/\s+/g, '');
  if (base64.length > MAX_KEY_LENGTH || !BASE64.test(base64)) {
    throw fail('is neither a PEM private key nor base64: store the PEM file (or its base64 body) as the secret\'s text');
  }
  const bits = rsaBits(Buffer.from(base64, 'base64'));
  if (bits === undefined) throw fail('is not an RSA private key (PKCS #8 or PKCS #1)');
  if (!RSA_KEY_BITS.includes(bits)) throw fail(`has ${bits} bits: SES signs with 1024-bit or 2048-bit RSA keys`);
  return base64;
}

/** The DER bytes of a binary secret as base64, or their text when they are a PEM file. */
function binaryAsText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('utf8');
  return text.includes('-----BEGIN ') ? text : Buffer.from(bytes).toString('base64');
}

/** The string at `field` of a JSON object. JSON.parse's own message quotes the text, so it is never passed on. */
function jsonField(text: string, field: string, fail: (why: string) => ResourceFailure): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fail('cannot be read: the secret\'s text is not JSON');
  }
  const item = typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, field) ? (parsed as Record<string, unknown>)[field] : undefined;
  if (typeof item !== 'string') throw fail('cannot be read: the secret\'s JSON has no string field of that name');
  return item;
}

/** The modulus length of an RSA private key in DER (PKCS #8, else PKCS #1); undefined for anything else. */
function rsaBits(der: Buffer): number | undefined {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: der, format: 'der', type });
    } catch {
      continue;
    }
    return key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
  }
  return undefined;
}

/**
 * Awaits a call that carries the key (none when `key` is undefined); a failure comes back with the key's text taken
 * out of its name and message (an API may echo what it was sent), and without the SDK's error object (its raw response).
 */
export async function withoutKeyInErrors<T>(call: Promise<T>, key: string | undefined): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw key === undefined ? error : redacted(error, key);
  }
}

function redacted(error: unknown, key: string): Error {
  if (!(error instanceof Error)) return new Error(redactKey(String(error), key));
  if (error instanceof ResourceFailure) return new ResourceFailure(redactKey(error.message, key));
  const copy: ApiError = new Error(redactKey(error.message, key));
  copy.name = redactKey(error.name, key);
  copy.operation = (error as ApiError).operation;
  copy.$metadata = (error as ApiError).$metadata;
  return copy;
}

/**
 * `text` with every run of base64 characters that shares KEY_FRAGMENT_LENGTH characters with the key replaced. A run
 * goes on across line breaks (also written `\n`), so that the short last line of an echoed PEM body goes with it.
 */
export function redactKey(text: string, key: string): string {
  return text.replace(/[A-Za-z0-9+/=]+(?:(?:\r?\n|\\n)[A-Za-z0-9+/=]+)*/g, (run) => {
    const joined = run.replace(/\r?\n|\\n/g, '');
    for (let i = 0; i + KEY_FRAGMENT_LENGTH <= joined.length; i++) {
      if (key.includes(joined.slice(i, i + KEY_FRAGMENT_LENGTH))) return '[redacted]';
    }
    return run;
  });
}
