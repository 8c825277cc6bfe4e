import * as pinpoint from '@aws-sdk/client-pinpoint-email';
import * as sesv2 from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { backendOf, emailApiOver, SESV2_ONLY_OPERATIONS, UnsupportedOperation } from '../../lambda/email-api';
import { EMAIL_API_ENV } from '../../src/private/contract';

const CONFIG = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } };

describe('the backend named by the environment', () => {
  test('unset is Pinpoint Email; the two names are taken as they are', () => {
    expect(backendOf({})).toBe('pinpoint-email');
    expect(backendOf({ [EMAIL_API_ENV]: 'pinpoint-email' })).toBe('pinpoint-email');
    expect(backendOf({ [EMAIL_API_ENV]: 'sesv2' })).toBe('sesv2');
  });

  test('any other value is refused, naming the variable', () => {
    expect(() => backendOf({ [EMAIL_API_ENV]: 'SESV2' })).toThrow('CDK_PINPOINT_EMAIL_API is "SESV2"; expected one of pinpoint-email, sesv2');
  });
});

describe('one call, sent through the chosen client', () => {
  test('Pinpoint Email: the Pinpoint Email command, with the input as given', async () => {
    const client = new pinpoint.PinpointEmailClient(CONFIG);
    const mock = mockClient(client).on(pinpoint.CreateConfigurationSetCommand).resolves({});
    await emailApiOver('pinpoint-email', client).call('CreateConfigurationSet', { ConfigurationSetName: 'a' });
    expect(mock.commandCalls(pinpoint.CreateConfigurationSetCommand).map((c) => c.args[0].input)).toEqual([{ ConfigurationSetName: 'a' }]);
  });

  test('SES v2: the SES v2 command of the same name, and its output', async () => {
    const client = new sesv2.SESv2Client(CONFIG);
    const mock = mockClient(client).on(sesv2.GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', ConfigurationSetName: 'a' });
    const output = await emailApiOver('sesv2', client).call('GetEmailIdentity', { EmailIdentity: 'example.com' });
    expect(output).toEqual({ IdentityType: 'DOMAIN', ConfigurationSetName: 'a' });
    expect(mock.commandCalls(sesv2.GetEmailIdentityCommand).map((c) => c.args[0].input)).toEqual([{ EmailIdentity: 'example.com' }]);
  });

  test('an operation only SES v2 has is refused on Pinpoint Email before any request', () => {
    const client = new pinpoint.PinpointEmailClient(CONFIG);
    const mock = mockClient(client);
    expect(() => emailApiOver('pinpoint-email', client).call('PutConfigurationSetSuppressionOptions', { ConfigurationSetName: 'a' }))
      .toThrow(UnsupportedOperation);
    expect(mock.calls()).toHaveLength(0);
  });

  test('the operations only SES v2 has are those the Pinpoint Email model lacks', () => {
    expect([...SESV2_ONLY_OPERATIONS].sort()).toEqual([
      'GetDedicatedIpPool', 'PutConfigurationSetSuppressionOptions', 'PutConfigurationSetVdmOptions', 'PutDedicatedIpPoolScalingAttributes',
      'PutEmailIdentityConfigurationSetAttributes', 'PutEmailIdentityDkimSigningAttributes',
    ]);
    for (const operation of SESV2_ONLY_OPERATIONS) expect(Object.hasOwn(pinpoint, `${operation}Command`)).toBe(false);
  });

});
