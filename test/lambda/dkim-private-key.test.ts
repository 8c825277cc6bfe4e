import { generateKeyPairSync } from 'crypto';
import { privateKeyOf, redactKey, withoutKeyInErrors } from '../../lambda/dkim-private-key';
import { ResourceFailure } from '../../lambda/errors';

const SOURCE = { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dkim-AbCdEf' };

function rsaKey(modulusLength: number) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  return {
    pkcs8,
    pkcs1: privateKey.export({ format: 'pem', type: 'pkcs1' }) as string,
    der: privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer,
    base64: pkcs8.split('\n').filter((line) => line !== '' && !line.startsWith('-----')).join(''),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
  };
}

const KEY = rsaKey(1024);

/** The failure of `privateKeyOf`, which must never quote the secret's text. */
function failureOf(text: string, jsonField?: string): string {
  try {
    privateKeyOf({ text }, { ...SOURCE, jsonField });
  } catch (error) {
    expect(error).toBeInstanceOf(ResourceFailure);
    const message = (error as Error).message;
    expect(message).not.toContain(text.slice(40, 80));
    return message;
  }
  throw new Error('privateKeyOf accepted it');
}

describe('the forms a key is stored in, all sent as SES takes it: base64 DER without PEM lines', () => {
  test.each([
    ['a PKCS #8 PEM file', KEY.pkcs8],
    ['its base64 body alone, with its line breaks', KEY.pkcs8.split('\n').filter((line) => !line.startsWith('-----')).join('\n')],
    ['its base64 body on one line', KEY.base64],
    ['a PEM with CRLF line breaks', KEY.pkcs8.replace(/\n/g, '\r\n')],
    ['a PEM pasted with its line breaks escaped', KEY.pkcs8.replace(/\n/g, '\\n')],
  ])('%s', (_, text) => {
    expect(privateKeyOf({ text }, SOURCE)).toBe(KEY.base64);
  });

  test('a PKCS #1 PEM file keeps its own encoding', () => {
    const body = KEY.pkcs1.split('\n').filter((line) => line !== '' && !line.startsWith('-----')).join('');
    expect(privateKeyOf({ text: KEY.pkcs1 }, SOURCE)).toBe(body);
  });

  test('a binary secret: the DER bytes, or a PEM file as bytes', () => {
    expect(privateKeyOf({ bytes: new Uint8Array(KEY.der) }, SOURCE)).toBe(KEY.base64);
    expect(privateKeyOf({ bytes: new Uint8Array(Buffer.from(KEY.pkcs8)) }, SOURCE)).toBe(KEY.base64);
  });

  test('a field of a JSON secret', () => {
    expect(privateKeyOf({ text: JSON.stringify({ selector: 'mail', privateKey: KEY.pkcs8 }) }, { ...SOURCE, jsonField: 'privateKey' })).toBe(KEY.base64);
  });

  test('a 2048-bit key', () => {
    const key = rsaKey(2048);
    expect(privateKeyOf({ text: key.pkcs8 }, SOURCE)).toBe(key.base64);
  });
});

describe('what is refused, named without quoting the secret', () => {
  const where = `the DKIM private key in the secret ${SOURCE.secretArn}`;

  test('the public key by mistake', () => {
    expect(failureOf(KEY.publicPem)).toBe(`${where} is a public key: store the private key, and publish the public key in DNS`);
  });

  test('an encrypted key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const encrypted = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' }) as string;
    expect(failureOf(encrypted)).toBe(`${where} is encrypted: store it without a passphrase, as SES needs it in clear`);
  });

  test('text that is no key', () => {
    expect(failureOf('this is not a key at all, just a sentence that is long enough to be quoted')).toBe(
      `${where} is neither a PEM private key nor base64: store the PEM file (or its base64 body) as the secret's text`);
    expect(failureOf(Buffer.from('not DER, but long enough to look like a key body '.repeat(3)).toString('base64'))).toBe(
      `${where} is not an RSA private key (PKCS #8 or PKCS #1)`);
  });

  test('an RSA key of another length, or another kind of key', () => {
    expect(failureOf(rsaKey(3072).pkcs8)).toBe(`${where} has 3072 bits: SES signs with 1024-bit or 2048-bit RSA keys`);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(failureOf(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)).toBe(`${where} is not an RSA private key (PKCS #8 or PKCS #1)`);
  });

  test('a JSON field that is missing, and text that is not JSON: JSON.parse\'s own message would quote the text', () => {
    const jsonWhere = `${where} (JSON field "privateKey")`;
    expect(failureOf(JSON.stringify({ other: KEY.pkcs8 }), 'privateKey')).toBe(
      `${jsonWhere} cannot be read: the secret's JSON has no string field of that name`);
    expect(failureOf(KEY.pkcs8, 'privateKey')).toBe(`${jsonWhere} cannot be read: the secret's text is not JSON`);
  });
});

describe('no failure repeats the key', () => {
  test('the key, a PEM line of it, or a fragment, in a message', () => {
    const line = KEY.pkcs8.split('\n')[3];
    const text = `Invalid key ${KEY.base64}; line ${line}; fragment x${KEY.base64.slice(100, 120)}y; request 1a2b-3c4d; ARN arn:aws:ses:us-east-1:123456789012:identity/example.com`;
    const redacted = redactKey(text, KEY.base64);
    expect(redacted).toBe('Invalid key [redacted]; line [redacted]; fragment [redacted]; request 1a2b-3c4d; ARN arn:aws:ses:us-east-1:123456789012:identity/example.com');
  });

  test('an SDK error comes back with its name, operation and metadata, and without the key or the raw response', async () => {
    const error = Object.assign(new Error(`bad key ${KEY.base64}`), {
      name: 'BadRequestException', operation: 'CreateEmailIdentity', $metadata: { httpStatusCode: 400, attempts: 1 }, $response: { body: KEY.base64 },
    });
    const thrown = await withoutKeyInErrors(Promise.reject(error), KEY.base64).catch((e: unknown) => e as Record<string, unknown>);
    expect(thrown).toMatchObject({ name: 'BadRequestException', message: 'bad key [redacted]', operation: 'CreateEmailIdentity', $metadata: error.$metadata });
    expect(thrown.$response).toBeUndefined();
    expect(JSON.stringify(thrown)).not.toContain(KEY.base64.slice(0, 16));
  });

  test('without a key, a failure passes as it is', async () => {
    const error = new Error('anything');
    await expect(withoutKeyInErrors(Promise.reject(error), undefined)).rejects.toBe(error);
  });
});
