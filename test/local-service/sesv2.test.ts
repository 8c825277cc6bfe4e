// The local service's SES API v2 side through the real @aws-sdk/client-sesv2 (3.721.0): the v2 additions on the resources
// the library manages, one state behind both APIs, v1 answers without v2 members, the routes later SDKs send, IAM, faults.
import * as fs from 'fs';
import * as path from 'path';
import * as v1 from '@aws-sdk/client-pinpoint-email';
import {
  AlreadyExistsException, CreateContactListCommand, CreateEmailIdentityCommand, GetAccountCommand, GetConfigurationSetCommand,
  GetDedicatedIpPoolCommand, PutConfigurationSetSendingOptionsCommand, SESv2Client, SESv2ServiceException, TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { LocalPinpointEmailService } from '../support/local-service';
import { expectServiceError, localClient, localSesv2Client, rawRequest } from '../support/local-service/testing';

const ACCOUNT = '123456789012';

let service: LocalPinpointEmailService;
let pinpoint: v1.PinpointEmailClient;
let sesv2: SESv2Client;

beforeAll(async () => {
  service = await LocalPinpointEmailService.start();
  Object.assign(process.env, service.clientEnv());
  pinpoint = localClient();
  sesv2 = localSesv2Client();
});
afterAll(async () => {
  pinpoint.destroy();
  sesv2.destroy();
  await service.stop();
});
beforeEach(() => service.reset());

describe('the SES v2 client and the service', () => {
  test('the pinned client is 3.721.0, and AWS_ENDPOINT_URL_SESV2 (set by clientEnv) routes a client built with no endpoint option here', async () => {
    const manifest = path.join(require.resolve('@aws-sdk/client-sesv2').split('/dist-cjs/')[0], 'package.json');
    expect(JSON.parse(fs.readFileSync(manifest, 'utf8')).version).toBe('3.721.0');
    expect(service.clientEnv()).toMatchObject({ AWS_ENDPOINT_URL_SESV2: service.endpoint, AWS_ENDPOINT_URL_PINPOINT_EMAIL: service.endpoint });
    const plain = new SESv2Client({});
    try {
      expect((await plain.send(new GetAccountCommand({}))).SendingEnabled).toBe(true);
    } finally {
      plain.destroy();
    }
    expect(service.calls).toEqual([expect.objectContaining({ operation: 'GetAccount', api: 'v2', accountId: ACCOUNT, status: 200 })]);
  });

  test('an SES v2 operation outside the resources the library manages -> 501 NotImplemented, recorded', async () => {
    const e = await expectServiceError(sesv2.send(new CreateContactListCommand({ ContactListName: 'list' })), SESv2ServiceException, 501,
      'The local service does not implement the SESv2 operation CreateContactList.');
    expect(e.name).toBe('NotImplemented');
    expect(service.calls.map((c) => [c.operation, c.api, c.status])).toEqual([['CreateContactList', 'v2', 501]]);
  });
});

describe('faults and the record cover v2 calls', () => {
  test('failNext for one API or for both; an error only v2 declares can only be injected into v2 calls', async () => {
    service.failNext('GetAccount', 1, 'TooManyRequestsException', 'slow down', 'v2');
    expect((await pinpoint.send(new v1.GetAccountCommand({}))).SendingEnabled).toBe(true);
    await expectServiceError(sesv2.send(new GetAccountCommand({})), TooManyRequestsException, 429, 'slow down');
    service.failNext('GetAccount', 1, 'TooManyRequestsException');
    await expectServiceError(pinpoint.send(new v1.GetAccountCommand({})), v1.TooManyRequestsException, 429);
    expect((await sesv2.send(new GetAccountCommand({}))).SendingEnabled).toBe(true);

    expect(() => service.failNext('CreateEmailIdentity', 1, 'AlreadyExistsException')).toThrow(/CreateEmailIdentity declares .* in v1/);
    service.failNext('CreateEmailIdentity', 1, 'AlreadyExistsException', 'taken', 'v2');
    await expectServiceError(sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' })), AlreadyExistsException, 400, 'taken');
    expect(() => service.failNext('GetDedicatedIpPool', 1, 'NotFoundException', undefined, 'v1')).toThrow('failNext: unknown operation GetDedicatedIpPool in v1');
  });

  test('dropped connections and the rate limit count v2 calls too', async () => {
    service.dropNextConnections(1, 'GetDedicatedIpPool');
    await expect(sesv2.send(new GetDedicatedIpPoolCommand({ PoolName: 'p' }))).rejects.toThrow();
    service.setRateLimit(1);
    await pinpoint.send(new v1.GetAccountCommand({}));
    await expectServiceError(sesv2.send(new GetAccountCommand({})), TooManyRequestsException, 429);
    expect(service.calls.map((c) => [c.operation, c.api, c.status, c.errorName])).toEqual([
      ['GetDedicatedIpPool', 'v2', 0, 'ConnectionDropped'], ['GetAccount', 'v1', 200, undefined], ['GetAccount', 'v2', 429, 'TooManyRequestsException'],
    ]);
  });

  test('the record says which API each call came through: callsOf(operation, api) and writeCalls(api)', async () => {
    await pinpoint.send(new v1.CreateConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    await sesv2.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    await sesv2.send(new PutConfigurationSetSendingOptionsCommand({ ConfigurationSetName: 'cs', SendingEnabled: false }));
    await pinpoint.send(new v1.GetConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    expect(service.callsOf('GetConfigurationSet').map((c) => c.api)).toEqual(['v2', 'v1']);
    expect(service.callsOf('GetConfigurationSet', 'v2')).toHaveLength(1);
    expect(service.writeCalls().map((c) => [c.operation, c.api])).toEqual([['CreateConfigurationSet', 'v1'], ['PutConfigurationSetSendingOptions', 'v2']]);
    expect(service.writeCalls('v2').map((c) => c.operation)).toEqual(['PutConfigurationSetSendingOptions']);
    await rawRequest(service.endpoint, 'GET', '/v2/email/nothing-here');
    expect(service.calls.at(-1)).toMatchObject({ operation: '(unknown)', status: 404 });
    expect(service.calls.at(-1)).not.toHaveProperty('api');
    expect(service.writeCalls()).toHaveLength(2);
  });
});
