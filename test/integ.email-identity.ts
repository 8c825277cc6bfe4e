/**
 * Integration test for real accounts (see docs/integ-tests.md): a domain identity with tags and a custom MAIL FROM
 * domain. Free of charge; the domain is never verified (its DKIM records are not published), which the test does not
 * need. The identity must not exist in the account yet: the construct never adopts one.
 *
 * Asserts after deploy and after an in-place update: the tags (ListTagsForResource), and the identity's type and MAIL
 * FROM domain (GetEmailIdentity).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { EmailIdentity, Identity } from '../src';
import { phasedTags, tagRoundTrip } from './integ-support/tag-round-trip';

/** A domain under example.com (reserved by RFC 2606), so the test never claims a domain someone uses. */
const DOMAIN = 'integ.cdk-pinpoint-email.example.com';

// No stack traces in the metadata: the committed snapshot must not depend on where it was synthesized.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'PinpointEmailIntegEmailIdentity');

const identity = new EmailIdentity(stack, 'Domain', {
  identity: Identity.domain(DOMAIN),
  mailFromDomain: `bounce.${DOMAIN}`,
  tags: phasedTags(stack),
});

const integ = new IntegTest(app, 'EmailIdentity', { testCases: [stack] });
const read = integ.assertions.awsApiCall('PinpointEmail', 'GetEmailIdentity', { EmailIdentity: identity.emailIdentityName })
  .expect(ExpectedResult.objectLike({ IdentityType: 'DOMAIN', MailFromAttributes: { MailFromDomain: `bounce.${DOMAIN}` } }));
tagRoundTrip(integ, stack, [identity.emailIdentityArn], read);
