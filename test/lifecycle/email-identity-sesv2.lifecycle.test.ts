/**
 * EmailIdentity's SES v2 options through CloudFormation's lifecycle, with IAM enforced: the bundled handler calls the
 * local service's `/v2/email` side, and reads BYODKIM private keys from the local Secrets Manager as its role. The key
 * never appears in the template, the custom resource's properties, the responses (`Data`, reasons) or the logs.
 */
import { createHash, generateKeyPairSync } from 'crypto';
import { Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { lifecycleHarness, synth } from './harness';
import { ByoDkimOptions, ConfigurationSet, DkimIdentity, EasyDkimSigningKeyLength, EmailApiVersion, EmailIdentity, Identity } from '../../src';
import { ResourceTypes } from '../../src/private/contract';

const h = lifecycleHarness({ api: EmailApiVersion.SES_V2, secretsManager: true });

const DOMAIN = 'example.com';

/** A 1024-bit RSA key as a PEM file, and what SES is sent: its base64 body. */
function newKey(): { pem: string; base64: string; lines: string[] } {
  const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const lines = pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
  return { pem, base64: lines.join(''), lines };
}

const KEY_A = newKey();
const KEY_A2 = newKey();
const KEY_B = newKey();
const KEYS = [KEY_A, KEY_A2, KEY_B];

/** What the local service keeps of a BYODKIM key: its SHA-256 fingerprint. */
function fingerprint(key: { base64: string }): string {
  return createHash('sha256').update(key.base64).digest('hex');
}

interface Options {
  readonly set?: boolean;
  readonly dkim?: (stack: Stack) => DkimIdentity;
  readonly tags?: Record<string, string>;
}

function identityStack(options: Options = {}) {
  return (stack: Stack) => {
    const set = new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });
    new EmailIdentity(stack, 'Identity', {
      identity: Identity.domain(DOMAIN),
      configurationSet: options.set ? set : undefined,
      dkimIdentity: options.dkim?.(stack),
      tags: options.tags,
    });
  };
}

function byoDkim(secretArn: string, options: Partial<ByoDkimOptions> = {}) {
  return (stack: Stack) => DkimIdentity.byoDkim({
    privateKey: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Key', secretArn), selector: 'mail', ...options,
  });
}

/** Neither any key, nor any line of its PEM file that can be told apart from other text, is in `text`. */
function expectNoKeyIn(text: string): void {
  for (const key of KEYS) {
    expect(text).not.toContain(key.base64.slice(0, 40));
    for (const line of key.lines.filter((l) => l.length >= 16)) expect(text).not.toContain(line);
  }
}

/** Everything of the deployments that CloudFormation or its logs would hold: events (properties), responses, Data, logs. */
function whatCloudFormationSaw(results: Array<Awaited<ReturnType<typeof h.deployApp>>>): { properties: string; responses: string; logs: string } {
  const events = results.flatMap((r) => r.events);
  return {
    properties: JSON.stringify(events.map((e) => e.request)),
    responses: JSON.stringify([...events.map((e) => [e.response, e.data, e.reason]), ...results.map((r) => [...r.resources.values()])]),
    logs: events.flatMap((e) => e.logs).join('\n'),
  };
}

describe('BYODKIM', () => {
  test('create: the key is read as the handler\'s role, sent in the create call, and found in none of the four places', async () => {
    const { arn } = h.secretsManager.putSecret('dkim-a', KEY_A.pem);
    const build = identityStack({ set: true, dkim: byoDkim(arn), tags: { team: 'mail' } });

    const result = await h.deployApp(build);

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(h.operations()).toEqual(['CreateConfigurationSet', 'GetEmailIdentity', 'CreateEmailIdentity']);
    expect(h.secretsManager.calls).toEqual([{ operation: 'GetSecretValue', secretId: arn, roleArn: expect.stringMatching(/:role\//), status: 200 }]);
    // The service got the key: it keeps only its fingerprint, and records the input without it.
    expect(h.state().emailIdentities.get(DOMAIN)).toMatchObject({
      configurationSetName: 'transactional',
      dkimSigning: { origin: 'EXTERNAL', selector: 'mail', privateKeySha256: fingerprint(KEY_A) },
      dkim: { Tokens: ['mail'] },
    });
    expect(h.callsOf('CreateEmailIdentity')[0].input).toMatchObject({
      ConfigurationSetName: 'transactional', DkimSigningAttributes: { DomainSigningSelector: 'mail', DomainSigningPrivateKey: '<redacted: sensitive>' },
    });

    // 1. The template: the secret's ARN, not the key.
    const template = JSON.stringify(synth(build, 'S', EmailApiVersion.SES_V2));
    expect(template).toContain(arn);
    expectNoKeyIn(template);
    // 2. The custom resource's properties, as the driver sent them in every event: the ARN only.
    const seen = whatCloudFormationSaw([result]);
    const identityEvent = result.events.find((e) => e.resourceType === ResourceTypes.EMAIL_IDENTITY)!;
    expect(identityEvent.request.ResourceProperties.ByoDkim).toEqual({ Selector: 'mail', PrivateKeySecretArn: arn });
    expectNoKeyIn(seen.properties);
    // 3. The responses and their Data.
    expect(identityEvent.data).toMatchObject({ EmailIdentity: DOMAIN, DkimToken1: 'mail' });
    expectNoKeyIn(seen.responses);
    // 4. The handler's logs: the read is logged, the key is not.
    expect(seen.logs).toContain('"operation":"GetSecretValue","outcome":"ok"');
    expectNoKeyIn(seen.logs);
  });

  test('the grant is that one secret: a property pointing at another secret is denied, and nothing is created', async () => {
    const granted = h.secretsManager.putSecret('dkim-a', KEY_A.pem).arn;
    const other = h.secretsManager.putSecret('someone-elses-key', KEY_B.pem).arn;
    // The template of an identity with the first secret, whose custom resource is then pointed at the second: the
    // policy still grants the first only.
    const template = synth(identityStack({ dkim: byoDkim(granted) }), 'S', EmailApiVersion.SES_V2);
    const [identityId] = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === ResourceTypes.EMAIL_IDENTITY);
    template.Resources[identityId].Properties.ByoDkim.PrivateKeySecretArn = other;
    // A Lambda timeout of 31 s leaves the handler 1 s of AccessDenied retries (it keeps 30 s to answer).
    h.setTimeoutMs(31_000);

    const result = await h.driver.deploy(template);

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failure!.reason).toMatch(new RegExp(`^Email identity "${DOMAIN}": GetSecretValue failed: AccessDeniedException: User: ` +
      `arn:aws:sts::123456789012:assumed-role/[^ ]+/handler is not authorized to perform: secretsmanager:GetSecretValue on resource: ${other} `));
    expect(h.secretsManager.calls.length).toBeGreaterThan(0);
    expect(h.secretsManager.calls.every((call) => call.secretId === other && call.errorName === 'AccessDeniedException')).toBe(true);
    expect(h.state().emailIdentities.size).toBe(0);
    expectNoKeyIn(whatCloudFormationSaw([result]).logs);
  }, 60_000);

  test('updates put only what changed, a rollback restores the old key, and removing BYODKIM returns to Easy DKIM', async () => {
    const a = h.secretsManager.putSecret('dkim-a', KEY_A.pem);
    const b = h.secretsManager.putSecret('dkim-b', JSON.stringify({ privateKey: KEY_B.pem })).arn;
    const results = [await h.deployApp(identityStack({ set: true, dkim: byoDkim(a.arn, { privateKeyVersionId: a.versionId }) }))];
    const signing = () => h.state().emailIdentities.get(DOMAIN)!.dkimSigning;

    // A rotated key: a new value alone sends no event, so nothing is read or put.
    h.secretsManager.calls.length = 0;
    const a2 = h.secretsManager.putSecret('dkim-a', KEY_A2.pem);
    results.push(await h.deployApp(identityStack({ set: true, dkim: byoDkim(a.arn, { privateKeyVersionId: a.versionId }) })));
    expect(results[1].events).toEqual([]);
    expect(h.secretsManager.calls).toEqual([]);
    expect(signing()).toEqual({ origin: 'EXTERNAL', selector: 'mail', privateKeySha256: fingerprint(KEY_A) });

    // Naming the new version applies it.
    results.push(await h.deployApp(identityStack({ set: true, dkim: byoDkim(a.arn, { privateKeyVersionId: a2.versionId }) })));
    expect(h.operations()).toEqual(['GetEmailIdentity', 'PutEmailIdentityDkimSigningAttributes']);
    expect(signing()).toEqual({ origin: 'EXTERNAL', selector: 'mail', privateKeySha256: fingerprint(KEY_A2) });

    // Another secret (a JSON field of it) and a new selector, with a tag change that fails: the rollback reads the
    // pinned version of the first secret again and puts it back.
    h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected failure.');
    h.secretsManager.calls.length = 0;
    results.push(await h.deployApp(identityStack({
      set: true, dkim: byoDkim(b, { privateKeyJsonField: 'privateKey', selector: 'mail2' }), tags: { team: 'mail' },
    })));
    expect(results[3].status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(h.secretsManager.calls.map((call) => [call.secretId, call.versionId, call.status]))
      .toEqual([[b, undefined, 200], [a.arn, a2.versionId, 200]]);
    expect(signing()).toEqual({ origin: 'EXTERNAL', selector: 'mail', privateKeySha256: fingerprint(KEY_A2) });

    // Without BYODKIM and without the set: Easy DKIM with its default key length, and no default configuration set.
    results.push(await h.deployApp(identityStack()));
    expect(h.operations()).toEqual(['GetEmailIdentity', 'PutEmailIdentityDkimSigningAttributes', 'PutEmailIdentityConfigurationSetAttributes']);
    expect(signing()).toMatchObject({ origin: 'AWS_SES', nextSigningKeyLength: 'RSA_2048_BIT' });
    expect(h.state().emailIdentities.get(DOMAIN)!.configurationSetName).toBeUndefined();
    expect(results.map((r) => r.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_COMPLETE']);

    const seen = whatCloudFormationSaw(results);
    expectNoKeyIn(seen.properties);
    expectNoKeyIn(seen.responses);
    expectNoKeyIn(seen.logs);
  }, 60_000);
});

describe('Easy DKIM\'s key length and the default configuration set', () => {
  test('created with the identity in one call; changed, then removed, each by its own Put; deleted with the stack', async () => {
    await h.deployApp(identityStack({ set: true, dkim: () => DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_1024_BIT) }));
    expect(h.operations()).toEqual(['CreateConfigurationSet', 'GetEmailIdentity', 'CreateEmailIdentity']);
    expect(h.state().emailIdentities.get(DOMAIN)).toMatchObject({
      configurationSetName: 'transactional', dkimSigning: { origin: 'AWS_SES', nextSigningKeyLength: 'RSA_1024_BIT' },
    });

    await h.deployApp(identityStack({ set: true, dkim: () => DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT) }));
    expect(h.operations()).toEqual(['GetEmailIdentity', 'PutEmailIdentityDkimSigningAttributes']);

    await h.deployApp(identityStack({ dkim: () => DkimIdentity.easyDkim() }));
    expect(h.operations()).toEqual(['GetEmailIdentity', 'PutEmailIdentityConfigurationSetAttributes']);
    expect(h.state().emailIdentities.get(DOMAIN)!.configurationSetName).toBeUndefined();

    const destroyed = await h.destroy();
    expect(destroyed.status).toBe('DELETE_COMPLETE');
    expect(h.state().emailIdentities.size).toBe(0);
    expect(h.state().configurationSets.size).toBe(0);
  });

  test('a set removed from the stack with the identity\'s default on it: the identity lets go of it before the set is deleted', async () => {
    await h.deployApp(identityStack({ set: true }));

    const result = await h.deployApp((stack) => new EmailIdentity(stack, 'Identity', { identity: Identity.domain(DOMAIN) }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(h.operations()).toEqual(['GetEmailIdentity', 'PutEmailIdentityConfigurationSetAttributes', 'ListTagsForResource', 'DeleteConfigurationSet']);
    expect(h.state().configurationSets.size).toBe(0);
  });
});
