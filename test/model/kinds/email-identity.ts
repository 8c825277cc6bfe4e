import { RemovalPolicy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { Kind, maybe, splitTags, Tags, tagsArb } from './kind';
import { IDENTITY_SES_V2, identitySesV2Construct, identitySesV2Expected, identitySesV2Observed, IdentitySesV2Props, withIdentitySesV2 } from './ses-v2-options';
import { EmailIdentity, Identity, MailFromBehaviorOnMxFailure } from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';
import { keyName } from '../byodkim';

export interface IdentityProps extends IdentitySesV2Props {
  readonly name: string;
  readonly dkim?: boolean;
  readonly feedback?: boolean;
  /** A domain identity's MAIL FROM subdomain label. */
  readonly mailFrom?: string;
  readonly behavior?: 'USE_DEFAULT_VALUE' | 'REJECT_MESSAGE';
  readonly tags: Tags;
}

const LONG_DOMAIN = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(50)}.example.com`;
const NAMES = ['alpha.example.com', 'beta.example.com', LONG_DOMAIN, 'ops@alpha.example.com'];
/** Whether an identity name is a domain (else an email address). */
export const isDomain = (name: string) => !name.includes('@');

export const emailIdentity: Kind<IdentityProps> = {
  name: 'EmailIdentity',
  constructIds: ['Identity0', 'Identity1'],
  frequency: 0.5,
  resourceType: ResourceTypes.EMAIL_IDENTITY,
  keyedBy: 'name',
  operations: [
    'GetEmailIdentity', 'CreateEmailIdentity', 'PutEmailIdentityDkimAttributes', 'PutEmailIdentityFeedbackAttributes',
    'PutEmailIdentityMailFromAttributes', 'TagResource', 'UntagResource', 'ListTagsForResource', 'DeleteEmailIdentity',
    'PutEmailIdentityDkimSigningAttributes', 'PutEmailIdentityConfigurationSetAttributes',
  ],
  names: NAMES,
  props: () => withIdentitySesV2(fc.record({
    name: fc.constantFrom(...NAMES),
    dkim: maybe(fc.boolean()),
    feedback: maybe(fc.boolean()),
    mailFrom: maybe(fc.constantFrom('bounce', 'm')),
    behavior: maybe(fc.constantFrom('USE_DEFAULT_VALUE' as const, 'REJECT_MESSAGE' as const)),
    tags: tagsArb,
  }, { requiredKeys: ['name', 'tags'] }).map((p) => isDomain(p.name) ? (p.mailFrom ? p : { ...p, behavior: undefined })
    : { ...p, dkim: undefined, mailFrom: undefined, behavior: undefined })),
  key: (p) => p.name,
  build: (stack, id, p, retain, lookup) => new EmailIdentity(stack, id, {
    identity: isDomain(p.name) ? Identity.domain(p.name) : Identity.email(p.name),
    dkimSigning: p.dkim,
    feedbackForwarding: p.feedback,
    mailFromDomain: p.mailFrom && `${p.mailFrom}.${p.name}`,
    mailFromBehaviorOnMxFailure: p.behavior && MailFromBehaviorOnMxFailure[p.behavior],
    tags: p.tags,
    removalPolicy: retain ? RemovalPolicy.RETAIN : undefined,
    ...identitySesV2Construct(stack, id, p, lookup),
  }),
  expected: (p, lookup) => ({
    dkim: isDomain(p.name) ? p.dkim ?? true : false,
    feedback: p.feedback ?? true,
    mailFrom: p.mailFrom ? `${p.mailFrom}.${p.name}` : null,
    behavior: p.mailFrom ? p.behavior ?? 'USE_DEFAULT_VALUE' : null,
    ...identitySesV2Expected(p, lookup),
  }),
  tags: (p) => p.tags,
  observe: (state) => Object.fromEntries([...state.emailIdentities].map(([name, r]) => [name, {
    options: {
      dkim: r.dkim.SigningEnabled,
      feedback: r.feedbackForwarding,
      mailFrom: r.mailFrom?.MailFromDomain ?? null,
      behavior: r.mailFrom?.MailFromDomain ? r.mailFrom.BehaviorOnMxFailure ?? 'USE_DEFAULT_VALUE' : null,
      ...identitySesV2Observed(r, keyName),
    },
    ...splitTags(r.tags),
  }])),
  sesV2: IDENTITY_SES_V2,
  seedForeign: (state, name, tags) => {
    state.addEmailIdentity(name, { verified: true, tags: { ...tags } });
  },
};
