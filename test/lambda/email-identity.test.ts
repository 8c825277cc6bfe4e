import {
  BadRequestException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  PinpointEmailClient,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityFeedbackAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-pinpoint-email';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CfnResponse, captureLogs, createEvent, deleteEvent, EventOptions, FOREIGN_OWNER_TAG, HandlerHarness, ownerTagOf, SENT_OWNER_TAG, Properties,
  updateEvent,
} from './harness';
import { CREATE_FAILED_PREFIX } from '../../lambda/index';
import { ResourceTypes } from '../../src/private/contract';

const api = mockClient(PinpointEmailClient);
const harness = new HandlerHarness();
const options: EventOptions = { resourceType: ResourceTypes.EMAIL_IDENTITY };

const DOMAIN = 'example.com';
const DOMAIN_ARN = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';
const TOKENS = ['tokenaaaaaaaaaaaaaaaaaaaaaaaaaaa1', 'tokenbbbbbbbbbbbbbbbbbbbbbbbbbbb2', 'tokenccccccccccccccccccccccccccc3'];
const DOMAIN_DATA = {
  EmailIdentity: DOMAIN,
  Arn: DOMAIN_ARN,
  IdentityType: 'DOMAIN',
  DkimToken1: TOKENS[0],
  DkimToken2: TOKENS[1],
  DkimToken3: TOKENS[2],
};

function props(extra: Properties = {}): Properties {
  return { SchemaVersion: '1', EmailIdentity: DOMAIN, ...extra };
}

function notFound(): NotFoundException {
  return new NotFoundException({ message: 'Email identity does not exist.', $metadata: { httpStatusCode: 404 } });
}

function created(tokens: string[] = TOKENS, identityType: 'DOMAIN' | 'EMAIL_ADDRESS' = 'DOMAIN') {
  return { IdentityType: identityType, VerifiedForSendingStatus: false, DkimAttributes: { SigningEnabled: true, Status: 'PENDING' as const, Tokens: tokens } };
}

/** Every API call in order, as [command, input]: the strictest check there is. */
function calls(): Array<[string, unknown]> {
  return api.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return [command.constructor.name.replace(/Command$/, ''), command.input];
  });
}

async function run(event: Parameters<HandlerHarness['run']>[0]): Promise<CfnResponse> {
  return (await harness.run(event)).body;
}

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(() => {
  api.reset();
  captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('create', () => {
  test('reads first, then creates with the tags; no Put when every option is at its default', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves(created());

    const response = await run(createEvent(props({
      DkimSigningEnabled: true, FeedbackForwardingEnabled: true, Tags: [{ Key: 'team', Value: 'mail' }],
    }), options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['CreateEmailIdentity', { EmailIdentity: DOMAIN, Tags: [{ Key: 'team', Value: 'mail' }, SENT_OWNER_TAG] }],
    ]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DOMAIN, Data: DOMAIN_DATA });
  });

  test('applies the options CreateEmailIdentity cannot carry, only where they differ from the defaults', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves(created());

    const response = await run(createEvent(props({
      DkimSigningEnabled: false,
      FeedbackForwardingEnabled: false,
      MailFromDomain: 'bounce.example.com',
    }), options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['CreateEmailIdentity', { EmailIdentity: DOMAIN, Tags: [SENT_OWNER_TAG] }],
      ['PutEmailIdentityDkimAttributes', { EmailIdentity: DOMAIN, SigningEnabled: false }],
      ['PutEmailIdentityFeedbackAttributes', { EmailIdentity: DOMAIN, EmailForwardingEnabled: false }],
      ['PutEmailIdentityMailFromAttributes', { EmailIdentity: DOMAIN, MailFromDomain: 'bounce.example.com', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' }],
    ]);
    expect(response.Status).toBe('SUCCESS');
  });

  test('an email address gets empty DKIM tokens, so GetAtt never fails', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves({ IdentityType: 'EMAIL_ADDRESS', VerifiedForSendingStatus: false, DkimAttributes: {} as never });

    const response = await run(createEvent(props({ EmailIdentity: 'sender@example.com', MailFromDomain: 'bounce.example.com', MailFromBehaviorOnMxFailure: 'REJECT_MESSAGE' }), options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: 'sender@example.com' }],
      ['CreateEmailIdentity', { EmailIdentity: 'sender@example.com', Tags: [SENT_OWNER_TAG] }],
      ['PutEmailIdentityMailFromAttributes', { EmailIdentity: 'sender@example.com', MailFromDomain: 'bounce.example.com', BehaviorOnMxFailure: 'REJECT_MESSAGE' }],
    ]);
    expect(response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'sender@example.com',
      Data: {
        EmailIdentity: 'sender@example.com',
        Arn: 'arn:aws:ses:us-east-1:123456789012:identity/sender@example.com',
        IdentityType: 'EMAIL_ADDRESS',
        DkimToken1: '',
        DkimToken2: '',
        DkimToken3: '',
      },
    });
  });

  test.each([
    ['no tags', []],
    ['another stack\'s ownership tag', [FOREIGN_OWNER_TAG]],
  ])('an identity that already exists with %s is neither adopted nor deleted, and the message says how to import it', async (_what, tags) => {
    api.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', Tags: tags });

    const response = await run(createEvent(props({ Tags: [{ Key: 'team', Value: 'mail' }] }), options));

    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }]]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(
      'Email identity "example.com": already exists and is not managed by this stack, so it was neither adopted nor changed. ' +
      'Remove it from the stack and use the existing one with EmailIdentity.fromEmailIdentityName(this, \'Imported\', \'example.com\').');
    expect(response.PhysicalResourceId.startsWith(CREATE_FAILED_PREFIX)).toBe(true);

    // The Delete that CloudFormation sends next for the failed create touches nothing.
    api.reset();
    const deleted = await run(deleteEvent(response.PhysicalResourceId, props(), options));
    expect(deleted.Status).toBe('SUCCESS');
    expect(calls()).toEqual([]);
  });

  test('an identity that this very request created (a retried create) gets only the Puts whose live values differ, and succeeds', async () => {
    api.on(GetEmailIdentityCommand).resolves({
      IdentityType: 'DOMAIN',
      FeedbackForwardingStatus: true,
      DkimAttributes: { SigningEnabled: true, Status: 'PENDING', Tokens: TOKENS },
      Tags: [{ Key: 'team', Value: 'mail' }, ownerTagOf('retried')],
    });

    // Wanted: DKIM off and a MAIL FROM domain (both differ from live); feedback unset (left as the API made it).
    const response = await run(createEvent(props({ DkimSigningEnabled: false, MailFromDomain: 'bounce.example.com', Tags: [{ Key: 'team', Value: 'mail' }] }), { ...options, requestId: 'retried' }));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['PutEmailIdentityDkimAttributes', { EmailIdentity: DOMAIN, SigningEnabled: false }],
      ['PutEmailIdentityMailFromAttributes', { EmailIdentity: DOMAIN, MailFromDomain: 'bounce.example.com', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' }],
    ]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DOMAIN, Data: DOMAIN_DATA });
  });

  test('an identity this very request created whose attributes already match gets no call after the read', async () => {
    api.on(GetEmailIdentityCommand).resolves({
      IdentityType: 'DOMAIN',
      FeedbackForwardingStatus: false,
      DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS', Tokens: TOKENS },
      MailFromAttributes: { MailFromDomain: 'bounce.example.com', MailFromDomainStatus: 'PENDING', BehaviorOnMxFailure: 'REJECT_MESSAGE' },
      Tags: [ownerTagOf('retried')],
    });

    const response = await run(createEvent(props({
      FeedbackForwardingEnabled: false, MailFromDomain: 'bounce.example.com', MailFromBehaviorOnMxFailure: 'REJECT_MESSAGE',
    }), { ...options, requestId: 'retried' }));

    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }]]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DOMAIN, Data: DOMAIN_DATA });
  });

  test('a Put failing on an identity this resource created before fails without deleting it (it may be the stack\'s live resource)', async () => {
    api.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', FeedbackForwardingStatus: true, DkimAttributes: { SigningEnabled: true, Status: 'PENDING', Tokens: TOKENS }, Tags: [ownerTagOf('retried')] });
    api.on(PutEmailIdentityFeedbackAttributesCommand).rejects(new BadRequestException({ message: 'Feedback is broken.', $metadata: {} }));

    const response = await run(createEvent(props({ FeedbackForwardingEnabled: false }), { ...options, requestId: 'retried' }));

    expect(calls().map(([operation]) => operation)).toEqual(['GetEmailIdentity', 'PutEmailIdentityFeedbackAttributes']);
    expect(response.Status).toBe('FAILED');
  });

  test('an identity of this resource from an earlier request, met by a Create (a leftover), fails the create without any change', async () => {
    api.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', FeedbackForwardingStatus: true, DkimAttributes: { SigningEnabled: true, Status: 'PENDING', Tokens: TOKENS }, Tags: [ownerTagOf('long-ago')] });

    const response = await run(createEvent(props({ FeedbackForwardingEnabled: false }), options));

    expect(calls().map(([operation]) => operation)).toEqual(['GetEmailIdentity']);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('it was left in the account by RemovalPolicy.RETAIN, a rename, or a delete that failed');
    expect(response.Reason).toContain('EmailIdentity.fromEmailIdentityName(this, \'Imported\', \'example.com\')');
  });

  test('a failing read other than NotFound fails the create before anything is created', async () => {
    api.on(GetEmailIdentityCommand).rejects(new BadRequestException({ message: 'Invalid identity.', $metadata: { httpStatusCode: 400 } }));

    const response = await run(createEvent(props(), options));

    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }]]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('BadRequestException: Invalid identity.');
  });

  test('a Put failing after the create deletes the new identity, then fails', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves(created());
    api.on(PutEmailIdentityFeedbackAttributesCommand).rejects(new BadRequestException({ message: 'Feedback is broken.', $metadata: {} }));
    api.on(DeleteEmailIdentityCommand).resolves({});

    const response = await run(createEvent(props({ FeedbackForwardingEnabled: false, MailFromDomain: 'bounce.example.com' }), options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['CreateEmailIdentity', { EmailIdentity: DOMAIN, Tags: [SENT_OWNER_TAG] }],
      ['PutEmailIdentityFeedbackAttributes', { EmailIdentity: DOMAIN, EmailForwardingEnabled: false }],
      ['DeleteEmailIdentity', { EmailIdentity: DOMAIN }],
    ]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe('Email identity "example.com": failed: BadRequestException: Feedback is broken.');
    expect(response.PhysicalResourceId.startsWith(CREATE_FAILED_PREFIX)).toBe(true);
  });

  test('when the clean-up delete fails too, the failure says the identity must be deleted by hand', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves(created());
    api.on(PutEmailIdentityDkimAttributesCommand).rejects(new BadRequestException({ message: 'DKIM is broken.', $metadata: {} }));
    api.on(DeleteEmailIdentityCommand).rejects(new BadRequestException({ message: 'Delete is broken.', $metadata: {} }));

    const response = await run(createEvent(props({ DkimSigningEnabled: false }), options));

    expect(calls().map(([operation]) => operation)).toEqual(['GetEmailIdentity', 'CreateEmailIdentity', 'PutEmailIdentityDkimAttributes', 'DeleteEmailIdentity']);
    expect(response.Reason).toBe('Email identity "example.com": BadRequestException: DKIM is broken.; deleting the identity just created ' +
      'also failed (BadRequestException: Delete is broken.): delete it by hand before retrying');
  });

  test('malformed properties fail before any API call', async () => {
    const response = await run(createEvent(props({ MailFromBehaviorOnMxFailure: 'BOUNCE' }), options));
    expect(calls()).toEqual([]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('property MailFromBehaviorOnMxFailure must be one of USE_DEFAULT_VALUE, REJECT_MESSAGE');
  });
});

describe('update', () => {
  function live(tags: Record<string, string> = {}) {
    return {
      IdentityType: 'DOMAIN' as const,
      FeedbackForwardingStatus: true,
      DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS' as const, Tokens: TOKENS },
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    };
  }

  test('a tag-only update reads once, then untags and tags what differs', async () => {
    api.on(GetEmailIdentityCommand).resolves(live({ keep: 'same', old: 'x', changed: 'before', foreign: 'theirs' }));

    const response = await run(updateEvent(DOMAIN,
      props({ Tags: [{ Key: 'keep', Value: 'same' }, { Key: 'changed', Value: 'after' }, { Key: 'added', Value: 'new' }] }),
      props({ Tags: [{ Key: 'keep', Value: 'same' }, { Key: 'old', Value: 'x' }, { Key: 'changed', Value: 'before' }] }),
      options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['UntagResource', { ResourceArn: DOMAIN_ARN, TagKeys: ['old'] }],
      ['TagResource', { ResourceArn: DOMAIN_ARN, Tags: [{ Key: 'changed', Value: 'after' }, { Key: 'added', Value: 'new' }] }],
    ]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DOMAIN, Data: DOMAIN_DATA });
  });

  test('an update that changes nothing only reads the DKIM tokens', async () => {
    api.on(GetEmailIdentityCommand).resolves(live({ team: 'mail' }));
    const same = props({ DkimSigningEnabled: false, Tags: [{ Key: 'team', Value: 'mail' }] });

    const response = await run(updateEvent(DOMAIN, same, same, options));

    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }]]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DOMAIN, Data: DOMAIN_DATA });
  });

  test('only the changed attributes are put; removing an option restores its default', async () => {
    api.on(GetEmailIdentityCommand).resolves(live());

    const response = await run(updateEvent(DOMAIN,
      props({ DkimSigningEnabled: false, MailFromDomain: 'bounce.example.com', MailFromBehaviorOnMxFailure: 'REJECT_MESSAGE' }),
      props({ FeedbackForwardingEnabled: false, MailFromDomain: 'bounce.example.com' }),
      options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['PutEmailIdentityDkimAttributes', { EmailIdentity: DOMAIN, SigningEnabled: false }],
      ['PutEmailIdentityFeedbackAttributes', { EmailIdentity: DOMAIN, EmailForwardingEnabled: true }],
      ['PutEmailIdentityMailFromAttributes', { EmailIdentity: DOMAIN, MailFromDomain: 'bounce.example.com', BehaviorOnMxFailure: 'REJECT_MESSAGE' }],
    ]);
    expect(response.Status).toBe('SUCCESS');
  });

  test('an explicit default is no change, and removing the MAIL FROM domain clears it', async () => {
    api.on(GetEmailIdentityCommand).resolves(live());

    await run(updateEvent(DOMAIN,
      props({ DkimSigningEnabled: true }),
      props({ MailFromDomain: 'bounce.example.com', MailFromBehaviorOnMxFailure: 'USE_DEFAULT_VALUE' }),
      options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['PutEmailIdentityMailFromAttributes', { EmailIdentity: DOMAIN }],
    ]);
    const mailFromInput = api.commandCalls(PutEmailIdentityMailFromAttributesCommand)[0].args[0].input;
    expect(Object.entries(mailFromInput).filter(([, value]) => value !== undefined)).toEqual([['EmailIdentity', DOMAIN]]);
  });

  test('a new identity is a replacement: the new one is created fully, and the old one deleted by the Delete that follows', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves(created(['n1', 'n2', 'n3']));
    api.on(DeleteEmailIdentityCommand).resolves({});

    const response = await run(updateEvent(DOMAIN,
      props({ EmailIdentity: 'example.org', FeedbackForwardingEnabled: false, Tags: [{ Key: 'team', Value: 'mail' }] }),
      props({ Tags: [{ Key: 'team', Value: 'mail' }] }),
      options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: 'example.org' }],
      ['CreateEmailIdentity', { EmailIdentity: 'example.org', Tags: [{ Key: 'team', Value: 'mail' }, SENT_OWNER_TAG] }],
      ['PutEmailIdentityFeedbackAttributes', { EmailIdentity: 'example.org', EmailForwardingEnabled: false }],
    ]);
    expect(response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'example.org',
      Data: { EmailIdentity: 'example.org', Arn: 'arn:aws:ses:us-east-1:123456789012:identity/example.org', DkimToken1: 'n1', DkimToken3: 'n3' },
    });

    api.resetHistory();
    api.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', Tags: [ownerTagOf('earlier')] });
    const deleted = await run(deleteEvent(DOMAIN, props({ Tags: [{ Key: 'team', Value: 'mail' }] }), options));
    expect(deleted.Status).toBe('SUCCESS');
    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }], ['DeleteEmailIdentity', { EmailIdentity: DOMAIN }]]);
  });

  test('a replacement onto an identity that already exists fails and keeps the old physical id', async () => {
    api.on(GetEmailIdentityCommand).resolves(live());

    const response = await run(updateEvent(DOMAIN, props({ EmailIdentity: 'example.org' }), props(), options));

    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: 'example.org' }]]);
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: DOMAIN });
    expect(response.Reason).toContain('EmailIdentity.fromEmailIdentityName(this, \'Imported\', \'example.org\')');
  });

  test('an identity deleted outside CloudFormation fails the update clearly, without any Put', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());

    const response = await run(updateEvent(DOMAIN, props({ DkimSigningEnabled: false }), props(), options));

    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }]]);
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: DOMAIN });
    expect(response.Reason).toContain('if it was deleted outside CloudFormation');
  });
});

describe('delete', () => {
  beforeEach(() => {
    api.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', Tags: [ownerTagOf('earlier')] });
  });

  test('reads the identity, then deletes it', async () => {
    api.on(DeleteEmailIdentityCommand).resolves({});
    const response = await run(deleteEvent(DOMAIN, props(), options));
    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }], ['DeleteEmailIdentity', { EmailIdentity: DOMAIN }]]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DOMAIN });
  });

  test('NotFound is success, from the read or the delete', async () => {
    api.on(DeleteEmailIdentityCommand).rejects(notFound());
    expect((await run(deleteEvent(DOMAIN, props(), options))).Status).toBe('SUCCESS');
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.resetHistory();
    expect((await run(deleteEvent(DOMAIN, props(), options))).Status).toBe('SUCCESS');
    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }]]);
  });

  test('an identity released by the rollback of its take-back is kept: only its ownership tag is removed', async () => {
    api.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', Tags: [{ Key: 'team', Value: 'a' }, ownerTagOf('earlier', ' released')] });
    const response = await run(deleteEvent(DOMAIN, props(), options));
    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['UntagResource', { ResourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com', TagKeys: [SENT_OWNER_TAG.Key] }],
    ]);
    expect(response.Status).toBe('SUCCESS');
  });

  test('other errors fail the delete', async () => {
    api.on(DeleteEmailIdentityCommand).rejects(new BadRequestException({ message: 'Nope.', $metadata: {} }));
    const response = await run(deleteEvent(DOMAIN, props(), options));
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: DOMAIN });
    expect(response.Reason).toContain('BadRequestException: Nope.');
  });

  test('a physical id that is not the identity of the properties is left alone', async () => {
    const response = await run(deleteEvent('someone-else.example.com', props(), options));
    expect(calls()).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'someone-else.example.com' });
  });
});

test('tags are untouched when the live read shows them already right', async () => {
  api.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', DkimAttributes: { Tokens: TOKENS } as never, Tags: [{ Key: 'team', Value: 'new' }] });
  await run(updateEvent(DOMAIN, props({ Tags: [{ Key: 'team', Value: 'new' }] }), props({ Tags: [{ Key: 'team', Value: 'old' }] }), options));
  expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }]]);
  expect(api.commandCalls(TagResourceCommand)).toHaveLength(0);
  expect(api.commandCalls(UntagResourceCommand)).toHaveLength(0);
});
