/**
 * The local Secrets Manager (test/support/local-secrets.ts) through the real client: GetSecretValue by ARN, partial ARN
 * or name, by version, its errors, and IAM for role sessions.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LocalSecretsManager } from '../support/local-secrets';
import { IamAuthorizer } from '../support/local-service';

const ROLE = 'arn:aws:iam::123456789012:role/handler';
const iam = new IamAuthorizer();
let secrets: LocalSecretsManager;

function client(credentials = { accessKeyId: '123456789012', secretAccessKey: 'local' }): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint: secrets.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  secrets = await LocalSecretsManager.start(iam);
});
afterAll(() => secrets.stop());
beforeEach(() => {
  secrets.reset();
  iam.clear();
});

test('the value of a secret, by its ARN, its partial ARN or its name; text or bytes', async () => {
  const { arn, versionId } = secrets.putSecret('dkim-key', 'the key');
  const binary = secrets.putSecret('binary-key', Buffer.from([1, 2, 3])).arn;
  expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:dkim-key-[0-9a-f]{6}$/);

  for (const SecretId of [arn, arn.slice(0, -7), 'dkim-key']) {
    const output = await client().send(new GetSecretValueCommand({ SecretId }));
    expect(output).toMatchObject({ ARN: arn, Name: 'dkim-key', VersionId: versionId, VersionStages: ['AWSCURRENT'], SecretString: 'the key' });
  }
  expect((await client().send(new GetSecretValueCommand({ SecretId: binary }))).SecretBinary).toEqual(new Uint8Array([1, 2, 3]));
  expect(secrets.calls.map((call) => [call.operation, call.status])).toEqual(Array(4).fill(['GetSecretValue', 200]));
});

test('versions: a new value is current, the one before previous; each is read by its id or its staging label', async () => {
  const first = secrets.putSecret('dkim-key', 'first');
  const second = secrets.putSecret('dkim-key', 'second', { versionId: 'v-2' });
  const read = async (input: { VersionId?: string; VersionStage?: string }) =>
    (await client().send(new GetSecretValueCommand({ SecretId: first.arn, ...input }))).SecretString;

  expect(second).toEqual({ arn: first.arn, versionId: 'v-2' });
  expect(await read({})).toBe('second');
  expect(await read({ VersionStage: 'AWSPREVIOUS' })).toBe('first');
  expect(await read({ VersionId: first.versionId })).toBe('first');
  expect(await errorOf(read({ VersionId: 'v-9' }))).toBe('ResourceNotFoundException: Secrets Manager can\'t find the specified secret value for VersionId: v-9');
});

test('a secret that does not exist', async () => {
  expect(await errorOf(client().send(new GetSecretValueCommand({ SecretId: 'missing' })))).toBe(
    'ResourceNotFoundException: Secrets Manager can\'t find the specified secret.');
});

test('a role session reads only what its policies in force allow, on the secret\'s ARN', async () => {
  const allowed = secrets.putSecret('dkim-key', 'the key').arn;
  const other = secrets.putSecret('other-key', 'the other value').arn;
  iam.setRolePolicies(ROLE, [{
    name: 'read', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: allowed }] },
  }]);
  const role = client(iam.credentialsFor(ROLE));

  expect((await role.send(new GetSecretValueCommand({ SecretId: 'dkim-key' }))).SecretString).toBe('the key');
  expect(await errorOf(role.send(new GetSecretValueCommand({ SecretId: other })))).toBe(
    'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/handler/handler is not authorized to perform: ' +
    `secretsmanager:GetSecretValue on resource: ${other} because no identity-based policy allows the secretsmanager:GetSecretValue action`);
  expect(secrets.calls.map((call) => [call.roleArn, call.status, call.errorName])).toEqual([[ROLE, 200, undefined], [ROLE, 400, 'AccessDeniedException']]);
  // What is recorded names the secret, never its value.
  expect(JSON.stringify(secrets.calls)).not.toMatch(/the key|the other value/);
});
