/**
 * EmailIdentity through CloudFormation's lifecycle (the lifecycle driver running the built handler) against the local
 * Pinpoint Email service: after each step, the service's state and the exact API calls it recorded.
 */
import { Stack } from 'aws-cdk-lib';
import { BACKENDS, ignoringOwnerRequests, lifecycleHarness, snapshot, tagList } from './harness';
import { EmailIdentity, EmailIdentityProps, Identity, MailFromBehaviorOnMxFailure } from '../../src';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  const DOMAIN = 'example.com';
  const ARN = `arn:aws:ses:us-east-1:123456789012:identity/${DOMAIN}`;

  /** A domain identity with every option away from the API's defaults. */
  const FULL: Omit<EmailIdentityProps, 'identity'> = {
    dkimSigning: false,
    feedbackForwarding: false,
    mailFromDomain: `mail.${DOMAIN}`,
    mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    tags: { team: 'payments', env: 'prod' },
  };

  function identityStack(props: Omit<EmailIdentityProps, 'identity'>, domain = DOMAIN) {
    return (stack: Stack) => {
      new EmailIdentity(stack, 'Identity', { identity: Identity.domain(domain), ...props });
    };
  }

  describe('create, update, replace, roll back, delete', () => {
    test('create checks the identity is absent, creates it with its tags, then puts the non-default attributes', async () => {
      const result = await h.deployApp(identityStack(FULL));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.status, c.input])).toEqual([
        ['GetEmailIdentity', 404, { EmailIdentity: DOMAIN }],
        ['CreateEmailIdentity', 200, { EmailIdentity: DOMAIN, Tags: tagList({ env: 'prod', team: 'payments', ...h.ownerTag('Identity') }) }],
        ['PutEmailIdentityDkimAttributes', 200, { EmailIdentity: DOMAIN, SigningEnabled: false }],
        ['PutEmailIdentityFeedbackAttributes', 200, { EmailIdentity: DOMAIN, EmailForwardingEnabled: false }],
        ['PutEmailIdentityMailFromAttributes', 200, { EmailIdentity: DOMAIN, MailFromDomain: `mail.${DOMAIN}`, BehaviorOnMxFailure: 'REJECT_MESSAGE' }],
      ]);
      const identity = h.state().emailIdentities.get(DOMAIN)!;
      expect(identity).toEqual({
        name: DOMAIN,
        identityType: 'DOMAIN',
        verifiedForSending: false,
        feedbackForwarding: false,
        dkim: { SigningEnabled: false, Status: 'PENDING', Tokens: expect.any(Array) },
        mailFrom: { MailFromDomain: `mail.${DOMAIN}`, MailFromDomainStatus: 'PENDING', BehaviorOnMxFailure: 'REJECT_MESSAGE' },
        tags: { team: 'payments', env: 'prod', ...h.ownerTag('Identity') },
      });
      const [t1, t2, t3] = identity.dkim.Tokens;
      expect(result.resources.get(result.events[0].logicalId)).toMatchObject({
        physicalId: DOMAIN,
        data: { EmailIdentity: DOMAIN, Arn: ARN, IdentityType: 'DOMAIN', DkimToken1: t1, DkimToken2: t2, DkimToken3: t3 },
      });
    });

    test('create with default attributes sends no Put', async () => {
      await h.deployApp(identityStack({}));

      expect(h.operations()).toEqual(['GetEmailIdentity', 'CreateEmailIdentity']);
      const identity = h.state().emailIdentities.get(DOMAIN)!;
      expect(identity).toMatchObject({ feedbackForwarding: true, dkim: { SigningEnabled: true } });
      expect(identity.tags).toEqual(h.ownerTag('Identity'));
      expect(identity.mailFrom).toBeUndefined();
    });

    test('a create whose Put fails deletes the identity it created', async () => {
      h.service.failNext('PutEmailIdentityMailFromAttributes', 1, 'BadRequestException', 'Injected: MAIL FROM refused.');

      const result = await h.deployApp(identityStack(FULL));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toBe(
        `Email identity "${DOMAIN}": PutEmailIdentityMailFromAttributes failed: BadRequestException: Injected: MAIL FROM refused.`);
      expect(h.operations()).toEqual([
        'GetEmailIdentity', 'CreateEmailIdentity', 'PutEmailIdentityDkimAttributes', 'PutEmailIdentityFeedbackAttributes',
        'PutEmailIdentityMailFromAttributes', 'DeleteEmailIdentity',
      ]);
      expect(h.state().emailIdentities.size).toBe(0);
    });

    test('an update of tags only reads the identity once, then sends one UntagResource and one TagResource', async () => {
      await h.deployApp(identityStack(FULL));
      const attributes = { ...structuredClone(h.state().emailIdentities.get(DOMAIN)!), tags: undefined };

      const result = await h.deployApp(identityStack({ ...FULL, tags: { team: 'billing', tier: 'critical' } }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
        ['UntagResource', { ResourceArn: ARN, TagKeys: ['env'] }],
        ['TagResource', { ResourceArn: ARN, Tags: [{ Key: 'team', Value: 'billing' }, { Key: 'tier', Value: 'critical' }] }],
      ]);
      expect(h.state().emailIdentities.get(DOMAIN)!.tags).toEqual({ team: 'billing', tier: 'critical', ...h.ownerTag('Identity') });
      expect({ ...h.state().emailIdentities.get(DOMAIN)!, tags: undefined }).toEqual(attributes);
      // The DKIM tokens come back in Data on every update.
      const tokens = h.state().emailIdentities.get(DOMAIN)!.dkim.Tokens;
      expect(result.events[0].data).toMatchObject({ DkimToken1: tokens[0], DkimToken2: tokens[1], DkimToken3: tokens[2] });
    });

    test('an update of attributes only sends the changed Put calls and no tag call', async () => {
      await h.deployApp(identityStack(FULL));

      const result = await h.deployApp(identityStack({ ...FULL, dkimSigning: undefined, mailFromBehaviorOnMxFailure: undefined }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
        ['PutEmailIdentityDkimAttributes', { EmailIdentity: DOMAIN, SigningEnabled: true }],
        ['PutEmailIdentityMailFromAttributes', { EmailIdentity: DOMAIN, MailFromDomain: `mail.${DOMAIN}`, BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' }],
      ]);
      expect(h.state().emailIdentities.get(DOMAIN)).toMatchObject({
        feedbackForwarding: false,
        dkim: { SigningEnabled: true },
        mailFrom: { MailFromDomain: `mail.${DOMAIN}`, BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
      });
      expect(h.state().emailIdentities.get(DOMAIN)!.tags).toEqual({ team: 'payments', env: 'prod', ...h.ownerTag('Identity') });
    });

    test('removing the MAIL FROM domain removes it from the identity', async () => {
      await h.deployApp(identityStack(FULL));

      await h.deployApp(identityStack({ ...FULL, mailFromDomain: undefined, mailFromBehaviorOnMxFailure: undefined }));

      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
        ['PutEmailIdentityMailFromAttributes', { EmailIdentity: DOMAIN }],
      ]);
      expect(h.state().emailIdentities.get(DOMAIN)!.mailFrom).toBeUndefined();
    });

    test('a new domain is a replacement: the new identity is created, then the old one deleted in cleanup', async () => {
      await h.deployApp(identityStack({ tags: { team: 'payments' } }));
      const oldTokens = h.state().emailIdentities.get(DOMAIN)!.dkim.Tokens;

      const result = await h.deployApp(identityStack({ feedbackForwarding: false, tags: { team: 'payments' } }, 'example.org'));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(result.events.map((e) => [e.phase, e.requestType, e.oldPhysicalId, e.physicalId])).toEqual([
        ['UPDATE_IN_PROGRESS', 'Update', DOMAIN, 'example.org'],
        ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'Delete', undefined, DOMAIN],
      ]);
      expect(h.service.calls.map((c) => [c.operation, c.input.EmailIdentity ?? c.input])).toEqual([
        ['GetEmailIdentity', 'example.org'],
        ['CreateEmailIdentity', 'example.org'],
        ['PutEmailIdentityFeedbackAttributes', 'example.org'],
        ['GetEmailIdentity', DOMAIN], // the Delete reads the old identity's tags first
        ['DeleteEmailIdentity', DOMAIN],
      ]);
      expect([...h.state().emailIdentities.keys()]).toEqual(['example.org']);
      const replacement = h.state().emailIdentities.get('example.org')!;
      expect(replacement.feedbackForwarding).toBe(false);
      expect(replacement.tags).toEqual({ team: 'payments', ...h.ownerTag('Identity') });
      expect(result.events[0].data).toMatchObject({ EmailIdentity: 'example.org', DkimToken1: replacement.dkim.Tokens[0] });
      expect(replacement.dkim.Tokens).not.toEqual(oldTokens);
    });

    test('a failed TagResource rolls the update back to the previous attributes and tags', async () => {
      await h.deployApp(identityStack(FULL));
      const before = snapshot(h.state());
      h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');

      const result = await h.deployApp(identityStack({ ...FULL, feedbackForwarding: true, tags: { team: 'billing' } }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toBe(`Email identity "${DOMAIN}": TagResource failed: BadRequestException: Injected: tag rejected.`);
      expect(h.service.calls.map((c) => [c.operation, c.status, c.input])).toEqual([
        // the update
        ['GetEmailIdentity', 200, { EmailIdentity: DOMAIN }],
        ['PutEmailIdentityFeedbackAttributes', 200, { EmailIdentity: DOMAIN, EmailForwardingEnabled: true }],
        ['UntagResource', 200, { ResourceArn: ARN, TagKeys: ['env'] }],
        ['TagResource', 400, { ResourceArn: ARN, Tags: [{ Key: 'team', Value: 'billing' }] }],
        // the rollback
        ['GetEmailIdentity', 200, { EmailIdentity: DOMAIN }],
        ['PutEmailIdentityFeedbackAttributes', 200, { EmailIdentity: DOMAIN, EmailForwardingEnabled: false }],
        ['TagResource', 200, { ResourceArn: ARN, Tags: [{ Key: 'env', Value: 'prod' }] }],
      ]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a new domain rolled back because another resource failed restores the old identity and deletes the new one', async () => {
      const build = (domain: string, team: string) => (stack: Stack) => {
        const identity = new EmailIdentity(stack, 'Identity', { identity: Identity.domain(domain), feedbackForwarding: false });
        new EmailIdentity(stack, 'Later', { identity: Identity.domain('later.example.net'), tags: { team } }).node.addDependency(identity);
      };
      await h.deployApp(build(DOMAIN, 'a'));
      const before = snapshot(h.state());
      h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');

      const result = await h.deployApp(build('example.org', 'b'));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.events.filter((e) => e.logicalId === h.logicalId('Identity')).map((e) => [e.phase, e.requestType, e.physicalId, e.status])).toEqual([
        ['UPDATE_IN_PROGRESS', 'Update', 'example.org', 'SUCCESS'],
        ['UPDATE_ROLLBACK_IN_PROGRESS', 'Update', DOMAIN, 'SUCCESS'],
        ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'Delete', 'example.org', 'SUCCESS'],
      ]);
      // The rollback's create finds its own identity unchanged: no CreateEmailIdentity and no Put for it.
      expect(h.callsOf('CreateEmailIdentity').map((c) => c.input.EmailIdentity)).toEqual(['example.org']);
      expect(h.callsOf('DeleteEmailIdentity').map((c) => c.input.EmailIdentity)).toEqual(['example.org']);
      expect(h.callsOf('PutEmailIdentityFeedbackAttributes').map((c) => c.input.EmailIdentity)).toEqual(['example.org']);
      expect(ignoringOwnerRequests(snapshot(h.state()))).toEqual(ignoringOwnerRequests(before));
    });

    test('delete removes the identity', async () => {
      await h.deployApp(identityStack(FULL));

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }], ['DeleteEmailIdentity', { EmailIdentity: DOMAIN }]]);
      expect(h.state().emailIdentities.size).toBe(0);
    });
  });

  describe('safety', () => {
    test('an identity that existed before the stack is neither adopted nor deleted when the create rolls back', async () => {
      h.state().addEmailIdentity(DOMAIN, { verified: true, tags: { owner: 'other-team' } });
      const before = snapshot(h.state());

      const result = await h.deployApp(identityStack(FULL));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toContain(`Email identity "${DOMAIN}": already exists and is not managed by this stack`);
      expect(result.failure!.reason).toContain(`EmailIdentity.fromEmailIdentityName(this, 'Imported', '${DOMAIN}')`);
      expect(result.events.map((e) => [e.phase, e.requestType, e.status])).toEqual([
        ['CREATE_IN_PROGRESS', 'Create', 'FAILED'],
        ['ROLLBACK_IN_PROGRESS', 'Delete', 'SUCCESS'],
      ]);
      // Only the existence check: no CreateEmailIdentity (which would succeed on an existing identity), no Put, no Delete.
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([['GetEmailIdentity', 200]]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a tag added by someone else survives updates of tags and of attributes', async () => {
      await h.deployApp(identityStack(FULL));
      h.state().emailIdentities.get(DOMAIN)!.tags.owner = 'ops';

      await h.deployApp(identityStack({ ...FULL, tags: { team: 'billing' } }));

      expect(h.state().emailIdentities.get(DOMAIN)!.tags).toEqual({ team: 'billing', owner: 'ops', ...h.ownerTag('Identity') });

      await h.deployApp(identityStack({ ...FULL, feedbackForwarding: true, tags: { team: 'billing' } }));

      expect(h.operations()).toEqual(['GetEmailIdentity', 'PutEmailIdentityFeedbackAttributes']);
      expect(h.state().emailIdentities.get(DOMAIN)!.tags).toEqual({ team: 'billing', owner: 'ops', ...h.ownerTag('Identity') });
    });
  });

  describe('the case of a domain (SES names domains without regard to case)', () => {
    test('Identity.domain lower-cases the domain, and an address its domain only', () => {
      const template = h.synth((stack) => {
        new EmailIdentity(stack, 'Domain', { identity: Identity.domain('Example.COM') });
        new EmailIdentity(stack, 'Address', { identity: Identity.email('Alerts@Example.COM') });
      });
      const names = Object.values(template.Resources as Record<string, any>)
        .filter((r) => r.Type === 'Custom::PinpointEmailIdentity').map((r) => r.Properties.EmailIdentity);
      expect(names.sort()).toEqual(['Alerts@example.com', 'example.com']);
    });

    test('an identity deployed as Example.com and declared again as example.com is updated in place, never deleted', async () => {
      // What an older version of this library deployed from Identity.domain('Example.com').
      // Its policy named the identity as declared too.
      const old = JSON.parse(JSON.stringify(h.synth(identityStack({ tags: { team: 'a' } }))).split('identity/example.com').join('identity/Example.com'));
      for (const resource of Object.values(old.Resources as Record<string, any>)) {
        if (resource.Type === 'Custom::PinpointEmailIdentity') resource.Properties.EmailIdentity = 'Example.com';
      }
      expect((await h.driver.deploy(old)).status).toBe('CREATE_COMPLETE');
      expect([...h.state().emailIdentities.keys()]).toEqual(['Example.com']);

      const updated = await h.deployApp(identityStack({ tags: { team: 'b' } }));

      expect(updated.status).toBe('UPDATE_COMPLETE');
      expect(updated.events.map((e) => [e.requestType, e.oldPhysicalId, e.physicalId])).toEqual([['Update', 'Example.com', 'Example.com']]);
      expect(h.operations()).toEqual(['GetEmailIdentity', 'TagResource']);
      expect([...h.state().emailIdentities.keys()]).toEqual(['Example.com']);
      expect(h.state().emailIdentities.get('Example.com')!.tags).toMatchObject({ team: 'b' });
    });
  });
});
