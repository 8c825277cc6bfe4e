import * as fc from 'fast-check';
import { Kind, maybe, splitTags, Tags, tagsArb } from './kind';
import { DeliverabilityTest, TestContent } from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';

/** A verified domain seeded before every history (a foreign identity): its addresses may send tests. */
export const SENDER_DOMAIN = 'verified.example.com';

export interface TestProps {
  readonly from: string;
  readonly reportName?: string;
  readonly subject: string;
  readonly tags: Tags;
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
    reportName: maybe(fc.constantFrom('weekly', 'Prüfung 漢字', 'r'.repeat(200))),
    subject: fc.constantFrom('Hello', 'Grüße', 's'.repeat(150)),
    tags: tagsArb,
  }, { requiredKeys: ['from', 'subject', 'tags'] }),
  key: () => '',
  build: (stack, id, p) => new DeliverabilityTest(stack, id, {
    fromEmailAddress: p.from, reportName: p.reportName, content: TestContent.simple({ subject: p.subject, text: 'Hi', charset: /^[\x00-\x7f]*$/.test(p.subject) ? undefined : 'UTF-8' }), tags: p.tags,
  }),
  expected: (p) => ({ from: p.from, reportName: p.reportName ?? null, subject: p.subject }),
  tags: (p) => p.tags,
  observe: (state) => Object.fromEntries([...state.deliverabilityTestReports].map(([id, r]) => [id, {
    options: { from: r.fromEmailAddress, reportName: r.reportName ?? null, subject: r.subject ?? null },
    ...splitTags(r.tags),
  }])),
};
