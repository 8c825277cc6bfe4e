/**
 * The options of an email identity that only the SES API v2 has (a default configuration set, Easy DKIM's key length,
 * BYODKIM): their synth checks, the BYODKIM public key's record, and the handler's grants for them.
 */
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { usesSesV2 } from './api-requirement';
import { PinpointEmailProvider } from './provider';
import type { IConfigurationSet } from '../configuration-set';
import type { ByoDkimOptions } from '../dkim-identity';
import type { DnsRecord } from '../email-identity';

/** The operations of these options: granted whenever the stack uses SES v2, since removing an option calls them too. */
const SES_V2_IDENTITY_ACTIONS = ['ses:PutEmailIdentityDkimSigningAttributes', 'ses:PutEmailIdentityConfigurationSetAttributes'];
/** The model's `Selector`: 1 to 63 characters. */
const SELECTOR = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const MAX_SELECTOR_LENGTH = 63;
const PARTIAL_SECRET_ARN_REASON = 'A secret imported by name or partial ARN: Secrets Manager ends its ARN with a hyphen and 6 ' +
  'random characters, which IAM matches with ??????, so this names that one secret.';

/** What the handler needs of one identity's SES v2 options. */
export interface SesV2OptionGrants {
  /** The identity's ARN as the policy names it. */
  readonly identityArn: string;
  /** The default configuration set's ARN as the policy names it. */
  readonly configurationSetArn?: string;
  /** The secret of a BYODKIM private key. */
  readonly privateKey?: secretsmanager.ISecret;
}

/**
 * Grants the handler what these options need, in the email identities' policy:
 * - while the stack uses SES v2 (asked at synthesis, since EmailApi.use may come after the constructs), the two Put
 *   operations on the identity, with or without an option set: removing an option puts the API's default back under
 *   the new policy; on the identities this stack created too, as their other operations;
 * - naming a configuration set authorizes on the set too (the Service Authorization data: `configuration-set`);
 * - `secretsmanager:GetSecretValue` on the BYODKIM secret alone, and `kms:Decrypt` through Secrets Manager on its key
 *   when it has a customer-managed one.
 */
export function grantSesV2Options(scope: IConstruct, provider: PinpointEmailProvider, grants: SesV2OptionGrants): void {
  const onSesV2 = () => usesSesV2(scope);
  provider.grant('email-identity', 'ManageEmailIdentitiesOnSesV2', SES_V2_IDENTITY_ACTIONS, grants.identityArn, { onlyIf: onSesV2 });
  provider.grantOwned('email-identity', 'identity', SES_V2_IDENTITY_ACTIONS, { onlyIf: onSesV2 });
  if (grants.configurationSetArn !== undefined) {
    provider.grant('email-identity', 'UseDefaultConfigurationSets', ['ses:PutEmailIdentityConfigurationSetAttributes'], grants.configurationSetArn);
  }
  const secret = grants.privateKey;
  if (secret === undefined || typeof secret.secretArn !== 'string') return; // not a secret: byoDkimProblems says so
  if (secret.secretFullArn !== undefined) {
    provider.grant('email-identity', 'ReadDkimPrivateKeys', ['secretsmanager:GetSecretValue'], secret.secretFullArn);
  } else {
    provider.grant('email-identity', 'ReadDkimPrivateKeys', ['secretsmanager:GetSecretValue'], `${secret.secretArn}-??????`,
      { wildcardReason: PARTIAL_SECRET_ARN_REASON });
  }
  if (secret.encryptionKey) {
    provider.grant('email-identity', 'DecryptDkimPrivateKeys', ['kms:Decrypt'], secret.encryptionKey.keyArn, {
      condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
    });
  }
}

/** The ARN the handler reads the secret by: the full ARN when known, else the partial one (Secrets Manager takes both). */
export function byoDkimSecretArn(secret: secretsmanager.ISecret): string {
  return secret.secretFullArn ?? secret.secretArn;
}

/** The TXT record of BYODKIM's public key, when it is given. */
export function byoDkimRecord(domain: string, options: ByoDkimOptions): DnsRecord | undefined {
  if (options.publicKey === undefined) return undefined;
  return { name: `${options.selector}._domainkey.${domain}`, type: 'TXT', value: `p=${base64Body(options.publicKey)}` };
}

/** The synth problems of BYODKIM's options, each starting with the prop. */
export function byoDkimProblems(options: ByoDkimOptions): string[] {
  const problems: string[] = [];
  if (typeof (options.privateKey as Partial<secretsmanager.ISecret> | undefined)?.secretArn !== 'string') {
    problems.push('dkimIdentity privateKey must be a Secrets Manager secret (ISecret): the handler reads the key from it at ' +
      'deploy time, so that the key is never in the template');
  } else {
    warnIfKeyInTemplate(options.privateKey);
  }
  const selector = options.selector;
  if (!Token.isUnresolved(selector) && (selector.length > MAX_SELECTOR_LENGTH || !SELECTOR.test(selector))) {
    problems.push(`dkimIdentity selector "${selector}" is invalid: 1 to ${MAX_SELECTOR_LENGTH} letters, digits and hyphens, ` +
      'starting and ending with a letter or a digit');
  }
  if (options.privateKeyJsonField === '') problems.push('dkimIdentity privateKeyJsonField must not be empty');
  if (options.privateKeyVersionId !== undefined && options.privateKeyVersionStage !== undefined) {
    problems.push('dkimIdentity privateKeyVersionId and privateKeyVersionStage: give at most one of them');
  }
  const publicKey = options.publicKey;
  if (publicKey !== undefined && !Token.isUnresolved(publicKey) && !/^[A-Za-z0-9+/]+={0,2}$/.test(base64Body(publicKey))) {
    problems.push('dkimIdentity publicKey is neither a PEM public key nor base64');
  }
  return problems;
}

/** A secret of this app created with its value given as text has the value in the template: the key would be too. */
function warnIfKeyInTemplate(secret: secretsmanager.ISecret): void {
  const cfn = secret.node.defaultChild;
  if (!(cfn instanceof secretsmanager.CfnSecret) || cfn.secretString === undefined) return;
  if (typeof Stack.of(cfn).resolve(cfn.secretString) !== 'string') return;
  Annotations.of(secret).addWarningV2('cdk-pinpoint-email:dkimPrivateKeyInTemplate',
    'This secret holds a DKIM private key, and its value is written in the template: create the secret outside the app ' +
    '(or with a generated value replaced later) and import it, for example with Secret.fromSecretCompleteArn.');
}

/** A key without its PEM armour lines and white space. */
function base64Body(key: string): string {
  return key.split(/\r?\n/).filter((line) => !line.startsWith('-----')).join('').replace(/\s+/g, '');
}

/** A default configuration set is in the identity's own account and region. */
export function configurationSetProblems(scope: IConstruct, set: IConfigurationSet | undefined): string[] {
  if (set === undefined) return [];
  const stack = Stack.of(scope);
  const problems: string[] = [];
  for (const [what, theirs, ours] of [['region', set.env.region, stack.region], ['account', set.env.account, stack.account]]) {
    if (!Token.isUnresolved(theirs) && !Token.isUnresolved(ours) && theirs !== ours) {
      problems.push(`configurationSet is in ${what} ${theirs}, and the identity in ${ours}: a default configuration set must be ` +
        'in the identity\'s account and region');
    }
  }
  return problems;
}
