/**
 * Why CreateDeliverabilityTestReport failed, for the message: the create is called first (one call on the happy
 * path), and only when it fails are the dashboard and the sender read, to name the cause and say what to do.
 */
import { GetDeliverabilityDashboardOptionsCommand, GetEmailIdentityCommand } from '@aws-sdk/client-pinpoint-email';
import { staysEnabled } from './deliverability-dashboard';
import { HandlerContext } from './resource-handler';
import { ApiError } from '../api';
import { isNotFound, ResourceFailure } from '../errors';
import { log } from '../log';
import { isQuotaError } from '../retry';

/** The charge as the API's own documentation states it (PutDeliverabilityDashboardOption). */
const DASHBOARD_CHARGE = 'the Deliverability dashboard is a paid subscription: "When you use the Deliverability dashboard, ' +
  'you pay a monthly subscription charge, in addition to any other fees that you accrue by using Amazon Pinpoint" ' +
  '(see https://aws.amazon.com/pinpoint/pricing/)';

/** Errors that a missing dashboard or an unverified sender can cause; anything else is reported as it is. */
const PRECONDITION_ERRORS = new Set(['BadRequestException', 'NotFoundException', 'MailFromDomainNotVerifiedException', 'MessageRejected']);

/**
 * Throws the failure of a create: the cause found by reading the dashboard, then the sender, with the API's own
 * answer at the end; or the API's error itself when neither explains it (or the reads fail too).
 */
export async function explainCreateFailure(ctx: HandlerContext, address: string, error: unknown): Promise<never> {
  if (!(error instanceof Error) || !PRECONDITION_ERRORS.has(error.name) || isQuotaError(error as ApiError)) throw error;
  let cause: string | undefined;
  try {
    cause = await dashboardProblem(ctx) ?? await senderProblem(ctx, address);
  } catch (readError) {
    log('could not read the preconditions after a failed create', { outcome: (readError as Error).name });
  }
  if (cause === undefined) throw error;
  throw new ResourceFailure(`${cause} (CreateDeliverabilityTestReport answered ${error.name}: ${error.message})`);
}

/** What is wrong with the account's dashboard, or undefined when it is enabled. */
async function dashboardProblem(ctx: HandlerContext): Promise<string | undefined> {
  const options = await ctx.client.send(new GetDeliverabilityDashboardOptionsCommand({}));
  if (staysEnabled(options)) return undefined;
  const state = options.AccountStatus === 'PENDING_EXPIRATION'
    ? `is being disabled (PENDING_EXPIRATION${options.SubscriptionExpiryDate ? ` until ${options.SubscriptionExpiryDate.toISOString()}` : ''})`
    : 'is not enabled';
  return `the Deliverability dashboard ${state} in account ${ctx.environment.account}, region ${ctx.environment.region}, ` +
    'and predictive inbox placement tests need it. Enable it (the DeliverabilityDashboard construct of this library, ' +
    'the Amazon Pinpoint console, or PutDeliverabilityDashboardOption with DashboardEnabled true), then deploy again. ' +
    `Note that ${DASHBOARD_CHARGE}.`;
}

/**
 * What is wrong with the sender, or undefined when its address, or else its domain, is an identity verified for
 * sending (a verified domain covers its addresses, even when the address identity exists unverified).
 */
async function senderProblem(ctx: HandlerContext, address: string): Promise<string | undefined> {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const addressVerified = await verifiedForSending(ctx, address);
  if (addressVerified === true) return undefined;
  const domainVerified = await verifiedForSending(ctx, domain);
  if (domainVerified === true) return undefined;

  const where = `in account ${ctx.environment.account}, region ${ctx.environment.region}`;
  const todo = `for the domain ${domain}, publish its DKIM CNAME records; for the address ${address}, open the link in the verification email`;
  if (addressVerified === undefined && domainVerified === undefined) {
    return `the sender ${address} is not a verified identity: neither ${address} nor ${domain} is an email identity ${where}. ` +
      `Create one (the EmailIdentity construct of this library, or CreateEmailIdentity) and verify it, then deploy again: ${todo}.`;
  }
  const unverified = [addressVerified === false ? address : undefined, domainVerified === false ? domain : undefined]
    .filter((name) => name !== undefined);
  return `the sender ${address} is not a verified identity: ${unverified.join(' and ')} ` +
    `${unverified.length > 1 ? 'are email identities' : 'is an email identity'} ${where} but not verified for sending ` +
    `(VerifiedForSendingStatus false). Complete the verification, then deploy again: ${todo}. With an EmailIdentity of ` +
    'the same stack, identity.waitForVerification() makes the deployment wait for it.';
}

/** Whether the identity is verified for sending; undefined when it is not an identity. */
async function verifiedForSending(ctx: HandlerContext, identity: string): Promise<boolean | undefined> {
  try {
    const found = await ctx.client.send(new GetEmailIdentityCommand({ EmailIdentity: identity }));
    return found.VerifiedForSendingStatus === true;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
