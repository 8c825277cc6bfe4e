import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { isDomain } from './email-identity';
import { IMPORTED_IDENTITY, importedName, nameOf, SENDER_DOMAIN } from './imports';
import { Kind, Lookup, maybe, splitTags, Tags, tagsArb } from './kind';
import { DeliverabilityTest, EmailIdentity, IEmailIdentity, TestContent } from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';

export interface TestProps {
  /** The sender: an address of SENDER_DOMAIN, or (filled in by resolve) the address that `identity` sends from. */
  readonly from: string;
  /**
   * The construct id of an identity of the same version that sends the test (`fromIdentity`), or `ImportedIdentity`
   * (SENDER_DOMAIN, imported by name); else `from`.
   */
  readonly identity?: string;
  /** The part before `@` of the sender, for a domain identity (`fromLocalPart`). */
  readonly localPart?: string;
  readonly reportName?: string;
  readonly subject: string;
  readonly tags: Tags;
}

/** The identity a test sends from: the imported domain, or one of its version. */
function senderOf(stack: Stack, id: string, identity: string, lookup: Lookup): IEmailIdentity {
  const imported = importedName(identity);
  if (imported) return EmailIdentity.fromEmailIdentityName(stack, `${id}ImportedIdentity`, imported);
  return lookup(identity)!.construct as EmailIdentity;
}

export const deliverabilityTest: Kind<TestProps> = {
  name: 'DeliverabilityTest',
  constructIds: ['Test0'],
  frequency: 0.3,
  resourceType: ResourceTypes.DELIVERABILITY_TEST,
  keyedBy: 'physicalId',
  operations: ['GetDeliverabilityDashboardOptions', 'ListDeliverabilityTestReports', 'GetEmailIdentity', 'CreateDeliverabilityTestReport', 'TagResource', 'UntagResource'],
  names: [],
  props: () => fc.record({
    from: fc.constantFrom(`sender@${SENDER_DOMAIN}`, `qa@${SENDER_DOMAIN}`),
    identity: maybe(fc.constantFrom('Identity0', 'Identity1', IMPORTED_IDENTITY)),
    localPart: fc.constantFrom('test', 'qa.team'),
    reportName: maybe(fc.constantFrom('weekly', 'Prüfung 漢字', 'r'.repeat(200))),
    subject: fc.constantFrom('Hello', 'Grüße', 's'.repeat(150)),
    tags: tagsArb,
  }, { requiredKeys: ['from', 'localPart', 'subject', 'tags'] }),
  // An identity that the version does not declare leaves the address of SENDER_DOMAIN.
  resolve: (p, _id, lookup) => {
    const name = nameOf(p.identity, lookup);
    if (!name) return { ...p, identity: undefined, localPart: undefined };
    return isDomain(name) ? { ...p, from: `${p.localPart}@${name}` } : { ...p, from: name, localPart: undefined };
  },
  key: () => '',
  build: (stack, id, p, _retain, lookup) => new DeliverabilityTest(stack, id, {
    ...p.identity
      ? { fromIdentity: senderOf(stack, id, p.identity, lookup), fromLocalPart: p.localPart }
      : { fromEmailAddress: p.from },
    reportName: p.reportName,
    content: TestContent.simple({ subject: p.subject, text: 'Hi', charset: /^[\x00-\x7f]*$/.test(p.subject) ? undefined : 'UTF-8' }),
    tags: p.tags,
  }),
  expected: (p) => ({ from: p.from, reportName: p.reportName ?? null, subject: p.subject }),
  tags: (p) => p.tags,
  observe: (state) => Object.fromEntries([...state.deliverabilityTestReports].map(([id, r]) => [id, {
    options: { from: r.fromEmailAddress, reportName: r.reportName ?? null, subject: r.subject ?? null },
    ...splitTags(r.tags),
  }])),
  seed: (state, foreignTags) => {
    state.addEmailIdentity(SENDER_DOMAIN, { verified: true, tags: { ...foreignTags } });
  },
  seededForeign: [{ kind: 'EmailIdentity', name: SENDER_DOMAIN }],
};
