/**
 * One step of the bounded wait for an email identity's verification (`EmailIdentity.waitForVerification`). The wait
 * is a chain of these custom resources, each after the previous one, each polling for at most one Lambda invocation;
 * so a wait longer than an invocation is built from CloudFormation's own ordering, never from one hung invocation. A
 * step whose previous step saw the identity verified makes no call and answers what that step read (its DKIM status
 * comes as a property); the last step fails, naming the missing DKIM status and the records to publish, when the
 * identity is still not verified.
 */
import { OutputOf } from '../email-api';
import { HandlerContext, Outcome, ResourceHandler } from './resource-handler';
import { IdentityVerificationAttributes } from '../../src/private/contract';
import { checkSchemaVersion, optionalBoolean, optionalString, RawProperties, requiredString } from '../decode';
import { ResourceFailure } from '../errors';
import { log } from '../log';

/** Decoded `Custom::PinpointEmailIdentityVerification` properties. */
export interface IdentityVerification {
  readonly identity: string;
  readonly stepMs: number;
  readonly timeoutSeconds: number;
  readonly final: boolean;
  readonly previousVerified: boolean;
  /** The DKIM status the previous step answered (what a step after a verified one answers). */
  readonly previousDkimStatus?: string;
  readonly records?: string;
}

/**
 * Polls start 1 s apart and double up to 30 s: a verification that comes soon is seen soon, and a long wait costs one
 * GetEmailIdentity per 30 seconds, far within the API's budget of about one request per second.
 */
const FIRST_POLL_MS = 1_000;
const MAX_POLL_MS = 30_000;

export const identityVerificationHandler: ResourceHandler<IdentityVerification> = {
  label: 'Email identity verification',

  decode(raw: RawProperties): IdentityVerification {
    checkSchemaVersion(raw);
    return {
      identity: requiredString(raw, 'EmailIdentity'),
      stepMs: seconds(raw, 'StepSeconds') * 1000,
      timeoutSeconds: seconds(raw, 'TimeoutSeconds'),
      final: optionalBoolean(raw, 'Final') ?? true,
      previousVerified: optionalString(raw, 'PreviousVerified') === 'true',
      previousDkimStatus: optionalString(raw, 'PreviousDkimStatus'),
      records: optionalString(raw, 'Records'),
    };
  },

  describe: (props) => `Verification of email identity "${props.identity}"`,

  create: (ctx, props) => waitForVerification(ctx, props),
  update: (ctx, _physicalId, props) => waitForVerification(ctx, props),

  // The wait holds no resource: any id is its own, and its Delete makes no call.
  owns: () => true,
  async delete() {},
};

/** Polls GetEmailIdentity until it says verified for sending, or this step's time (and the Lambda's) runs out. */
async function waitForVerification(ctx: HandlerContext, props: IdentityVerification): Promise<Outcome> {
  if (props.previousVerified) return outcome(props, true, props.previousDkimStatus);
  const end = Math.min(Date.now() + props.stepMs, ctx.deadline ?? Infinity);
  let delay = FIRST_POLL_MS;
  for (;;) {
    const live = await ctx.api.call('GetEmailIdentity', { EmailIdentity: props.identity });
    if (live.VerifiedForSendingStatus === true) return outcome(props, true, live.DkimAttributes?.Status);
    const left = end - Date.now();
    if (left <= 0) {
      if (props.final) throw new ResourceFailure(notVerified(props, live));
      log('not verified yet: the next step of the wait goes on', { physicalId: props.identity });
      return outcome(props, false, live.DkimAttributes?.Status);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left))); // the last poll is at the step's end
    delay = Math.min(delay * 2, MAX_POLL_MS);
  }
}

/** What is missing, when the wait is over: the DKIM status and the records, or the verification email of an address. */
function notVerified(props: IdentityVerification, live: OutputOf<'GetEmailIdentity'>): string {
  const waited = `not verified for sending after ${props.timeoutSeconds} seconds (the timeout of waitForVerification)`;
  if (live.IdentityType === 'EMAIL_ADDRESS') {
    return `${waited}: open the link in the verification email sent to ${props.identity}, then deploy again.`;
  }
  const status = live.DkimAttributes?.Status ?? 'unknown';
  const records = props.records ? `publish these DNS records: ${props.records}` : 'publish its three DKIM CNAME records (EmailIdentity.dkimRecords)';
  const why = status === 'FAILED' ? ' (Amazon Pinpoint could not find the records)' : '';
  return `${waited}: its DKIM status is ${status}${why}, not SUCCESS. To verify ${props.identity}, ${records}; ` +
    'DNS changes can take up to 72 hours. Then deploy again, or give waitForVerification a longer timeout.';
}

function outcome(props: IdentityVerification, verified: boolean, dkimStatus: string | undefined): Outcome {
  return {
    physicalResourceId: `verification:${props.identity}`,
    data: {
      [IdentityVerificationAttributes.VERIFIED]: String(verified),
      [IdentityVerificationAttributes.VERIFIED_FOR_SENDING]: String(verified),
      [IdentityVerificationAttributes.DKIM_STATUS]: dkimStatus ?? '',
    },
  };
}

function seconds(raw: RawProperties, name: string): number {
  const value = Number(requiredString(raw, name));
  return Number.isFinite(value) && value > 0 ? value : 1;
}
