/**
 * The third-party check of the SES v2 backend: the bundled handler, deployed by the lifecycle driver on a stack that
 * chose SES v2, against moto_server (moto 5.2.1) instead of the project's own local service. It covers what moto
 * implements: create, get, tag, untag, list tags and delete of configuration sets, dedicated IP pools and identities.
 *
 * moto deviates from AWS; each deviation this file meets is named where it is met, and none is worked around in the
 * handler:
 * - MOTO-DUPLICATE-SET: a duplicate configuration set answers `ConfigurationSetAlreadyExistsException` (AWS:
 *   `AlreadyExistsException`, on which the handler checks ownership);
 * - MOTO-DELETE-MISSING: deleting a missing configuration set answers 500 with an HTML body (AWS: NotFoundException,
 *   which the handler counts as deleted), so the stack's delete fails;
 * - MOTO-IDENTITY-TAGS: an identity's tags are stored under `email-identity/<name>`, so TagResource, UntagResource and
 *   ListTagsForResource on the real ARN `identity/<name>` act on another, empty tag set;
 * - MOTO-NO-DKIM-TOKENS: CreateEmailIdentity returns no DKIM tokens.
 * IAM is not evaluated (moto does not): the lifecycle tests against the local service check the policies.
 */
import {
  DeleteConfigurationSetCommand, GetConfigurationSetCommand, GetEmailIdentityCommand, ListDedicatedIpPoolsCommand,
  ListTagsForResourceCommand, NotFoundException, SESv2Client, Tag,
} from '@aws-sdk/client-sesv2';
import { Stack, Tags } from 'aws-cdk-lib';
import { OWNER_TAG_KEY } from '../../lambda/ownership';
import { ConfigurationSet, DedicatedIpPool, EmailApiVersion, EmailIdentity, Identity } from '../../src';
import { EmailIdentityAttributes } from '../../src/private/contract';
import { synth } from '../lifecycle/harness';
import { DriverResult, LifecycleDriver } from '../support/lifecycle-driver';
import { MotoServer, startMoto } from '../support/moto';

jest.setTimeout(120_000);

const REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's default account
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const SET = 'moto-set';
const POOL = 'moto-pool';
const DOMAIN = 'moto.example.com';
const arn = (resource: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:${resource}`;

let moto: MotoServer;
let ses: SESv2Client;
const drivers: LifecycleDriver[] = [];

beforeAll(async () => {
  moto = await startMoto();
  ses = new SESv2Client({ region: REGION, endpoint: moto.url, credentials: CREDENTIALS });
});
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => (d.status === undefined ? d.close() : d.destroy())));
  await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
});
afterAll(async () => {
  ses?.destroy();
  await moto?.stop();
});

/** A driver whose handler reaches moto for SES v2, and a closed port for Pinpoint Email: a wrong backend fails at once. */
function motoDriver(stackName: string): LifecycleDriver {
  const driver = new LifecycleDriver({
    stackName,
    accountId: ACCOUNT,
    region: REGION,
    timeoutMs: 60_000,
    env: {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_ENDPOINT_URL_SESV2: moto.url,
      AWS_ENDPOINT_URL_PINPOINT_EMAIL: 'http://127.0.0.1:9',
    },
  });
  drivers.push(driver);
  return driver;
}

/** The stack's three resources, each tagged `team`, on SES v2. */
function app(stackName: string, team: string): Record<string, any> {
  return synth((stack: Stack) => {
    new ConfigurationSet(stack, 'Set', { configurationSetName: SET });
    new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: POOL });
    new EmailIdentity(stack, 'Identity', { identity: Identity.domain(DOMAIN) });
    Tags.of(stack).add('team', team);
  }, stackName, EmailApiVersion.SES_V2);
}

/** The operations each handler invocation called, from its `api call` log lines. */
function operationsOf(result: DriverResult): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const event of result.events) {
    const calls = event.logs.map((line) => JSON.parse(line)).filter((entry) => entry.message === 'api call').map((entry) => entry.operation);
    out[`${event.requestType} ${event.logicalId.replace(/[0-9A-F]{8}$/, '')}`] = calls;
  }
  return out;
}

async function tagsOf(resource: string): Promise<Record<string, string>> {
  const { Tags: tags } = await ses.send(new ListTagsForResourceCommand({ ResourceArn: arn(resource) }));
  return fromList(tags);
}

function fromList(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key!, tag.Value!]));
}

function withoutOwner(tags: Record<string, string>): Record<string, string> {
  expect(tags[OWNER_TAG_KEY]).toMatch(/^[0-9a-f-]{36}:[0-9a-f]{32} request=/);
  const { [OWNER_TAG_KEY]: _owner, ...rest } = tags;
  return rest;
}

async function poolNames(): Promise<string[]> {
  return (await ses.send(new ListDedicatedIpPoolsCommand({}))).DedicatedIpPools ?? [];
}

test('create, tag, untag and delete a set, a pool and an identity through SES v2, checked in moto after each step', async () => {
  const driver = motoDriver('MotoStack');

  // Create: one create call each, carrying the tags (the identity first reads whether it exists).
  const created = await driver.deploy(app('MotoStack', 'mail'));
  expect({ status: created.status, failure: created.failure }).toEqual({ status: 'CREATE_COMPLETE', failure: undefined });
  expect(operationsOf(created)).toEqual({
    'Create Set': ['CreateConfigurationSet'],
    'Create Pool': ['CreateDedicatedIpPool'],
    'Create Identity': ['GetEmailIdentity', 'CreateEmailIdentity'],
  });
  const set = await ses.send(new GetConfigurationSetCommand({ ConfigurationSetName: SET }));
  expect(set.ConfigurationSetName).toBe(SET);
  expect(withoutOwner(await tagsOf(`configuration-set/${SET}`))).toEqual({ team: 'mail' });
  expect(await poolNames()).toEqual([POOL]);
  expect(withoutOwner(await tagsOf(`dedicated-ip-pool/${POOL}`))).toEqual({ team: 'mail' });
  const identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: DOMAIN }));
  expect(identity.IdentityType).toBe('DOMAIN');
  expect(withoutOwner(fromList(identity.Tags))).toEqual({ team: 'mail' });
  // MOTO-NO-DKIM-TOKENS: the identity's attributes have no tokens to publish.
  const identityData = created.events.find((e) => e.logicalId.startsWith('Identity'))!.data!;
  expect(identityData[EmailIdentityAttributes.DKIM_TOKEN_1]).toBe('');

  // Update: a changed tag value is one TagResource per resource, with no other write.
  const retagged = await driver.deploy(app('MotoStack', 'marketing'));
  expect(retagged.status).toBe('UPDATE_COMPLETE');
  expect(operationsOf(retagged)).toEqual({
    'Update Set': ['TagResource'],
    'Update Pool': ['TagResource'],
    'Update Identity': ['GetEmailIdentity', 'TagResource'],
  });
  expect(withoutOwner(await tagsOf(`configuration-set/${SET}`))).toEqual({ team: 'marketing' });
  expect(withoutOwner(await tagsOf(`dedicated-ip-pool/${POOL}`))).toEqual({ team: 'marketing' });
  // MOTO-IDENTITY-TAGS: the TagResource on identity/<name> went to a tag set of its own; the identity keeps its tags.
  expect(await tagsOf(`identity/${DOMAIN}`)).toEqual({ team: 'marketing' });
  expect(withoutOwner(fromList((await ses.send(new GetEmailIdentityCommand({ EmailIdentity: DOMAIN }))).Tags))).toEqual({ team: 'mail' });

  // Untag: a tag the template drops is one UntagResource.
  const untagged = await driver.deploy(synth((stack: Stack) => {
    new ConfigurationSet(stack, 'Set', { configurationSetName: SET });
    new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: POOL });
    new EmailIdentity(stack, 'Identity', { identity: Identity.domain(DOMAIN) });
  }, 'MotoStack', EmailApiVersion.SES_V2));
  expect(untagged.status).toBe('UPDATE_COMPLETE');
  expect(operationsOf(untagged)).toEqual({
    'Update Set': ['UntagResource'],
    'Update Pool': ['UntagResource'],
    'Update Identity': ['GetEmailIdentity', 'UntagResource'],
  });
  expect(withoutOwner(await tagsOf(`configuration-set/${SET}`))).toEqual({});
  expect(withoutOwner(await tagsOf(`dedicated-ip-pool/${POOL}`))).toEqual({});

  // Delete: each read its ownership tag, then deleted; nothing is left.
  const destroyed = await driver.destroy();
  expect(destroyed.status).toBe('DELETE_COMPLETE');
  expect(operationsOf(destroyed)).toEqual({
    'Delete Set': ['ListTagsForResource', 'DeleteConfigurationSet'],
    'Delete Pool': ['ListTagsForResource', 'DeleteDedicatedIpPool'],
    'Delete Identity': ['GetEmailIdentity', 'DeleteEmailIdentity'],
  });
  await expect(ses.send(new GetConfigurationSetCommand({ ConfigurationSetName: SET }))).rejects.toBeInstanceOf(NotFoundException);
  await expect(ses.send(new GetEmailIdentityCommand({ EmailIdentity: DOMAIN }))).rejects.toBeInstanceOf(NotFoundException);
  expect(await poolNames()).toEqual([]);
});

test('a set that another stack owns is never adopted (MOTO-DUPLICATE-SET: moto names the error differently)', async () => {
  const owner = motoDriver('OwnerStack');
  expect((await owner.deploy(app('OwnerStack', 'owner'))).status).toBe('CREATE_COMPLETE');
  const ownerTags = await tagsOf(`configuration-set/${SET}`);

  const intruder = motoDriver('IntruderStack');
  const result = await intruder.deploy(synth((stack: Stack) => {
    new ConfigurationSet(stack, 'Set', { configurationSetName: SET });
  }, 'IntruderStack', EmailApiVersion.SES_V2));

  // AWS answers AlreadyExistsException, on which the handler reads the set's ownership tag and reports it as another
  // stack's; moto's other error is not one the handler knows, so it fails the create with moto's message. Either way
  // nothing is written to the set, and the rollback's Delete of the failed create calls nothing.
  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(result.failure?.reason).toBe(
    'Configuration set "moto-set": CreateConfigurationSet failed: ConfigurationSetAlreadyExistsException: Configuration set <moto-set> already exists');
  expect(operationsOf(result)).toEqual({ 'Create Set': ['CreateConfigurationSet'], 'Delete Set': [] });
  expect(await tagsOf(`configuration-set/${SET}`)).toEqual(ownerTags);
});

test('a set deleted outside CloudFormation fails the stack delete (MOTO-DELETE-MISSING: moto answers 500, AWS NotFound)', async () => {
  const driver = motoDriver('MissingStack');
  expect((await driver.deploy(synth((stack: Stack) => {
    new ConfigurationSet(stack, 'Set', { configurationSetName: SET });
  }, 'MissingStack', EmailApiVersion.SES_V2))).status).toBe('CREATE_COMPLETE');
  await ses.send(new DeleteConfigurationSetCommand({ ConfigurationSetName: SET }));

  const result = await driver.destroy();

  // Against AWS the handler counts NotFoundException as deleted, and the stack deletes. moto's HTML body is not JSON:
  // the SDK reports a deserialization error, which the handler does not retry, and the delete fails with it.
  expect(result.status).toBe('DELETE_FAILED');
  expect(operationsOf(result)).toEqual({ 'Delete Set': ['ListTagsForResource', 'DeleteConfigurationSet'] });
  expect(result.failure?.reason).toMatch(/^Configuration set "moto-set": DeleteConfigurationSet failed: SyntaxError: Unexpected token '<'/);
  expect(JSON.stringify(result.failure)).not.toMatch(/ResponseURL|X-Amz-Signature/);
});
