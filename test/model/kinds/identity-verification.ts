/**
 * The wait for an identity's verification (`EmailIdentity.waitForVerification`): `Wait0` waits for `Identity0`,
 * `Wait1` for `Identity1`, when the version declares that identity. Each deploy says whether DNS answers
 * (`Step.verifyAfterMs`): the local service then verifies the identities that exist at once, and those the deploy
 * creates that long after their creation; otherwise never, and a wait can only time out, fail the deploy and roll it
 * back. The oracle checks each step of each wait against that, and that a deploy that succeeded left every waited-for
 * identity verified.
 */
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { Kind, KindOracle, Operation } from './kind';
import { EmailIdentity } from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';
import type { Decl, Step } from '../history';
import type { World } from '../world';

const NAME = 'EmailIdentityVerification';
const TYPE = ResourceTypes.IDENTITY_VERIFICATION;
/** The identity each wait is for (one wait per identity: a second timeout for the same identity fails synth). */
const IDENTITY_OF: Readonly<Record<string, string>> = { Wait0: 'Identity0', Wait1: 'Identity1' };
/** Each custom resource of the chain polls for at most this long (src/email-identity-verification.ts). */
const STEP_SECONDS = 480;
/**
 * The delays after which DNS answers: at the first poll, or at the second (1 s later); shorter than every timeout, so
 * that a wait for an identity that DNS verifies never times out.
 */
export const VERIFY_AFTER_MS = [0, 300, 800] as const;

export interface WaitProps {
  /** 600 s: two steps, each cut short by the Lambda's deadline. */
  readonly timeoutSeconds: number;
}

export const identityVerification: Kind<WaitProps> = {
  name: NAME,
  constructIds: Object.keys(IDENTITY_OF),
  frequency: 0.3,
  resourceType: TYPE,
  keyedBy: 'own',
  operations: ['GetEmailIdentity'],
  names: [],
  props: () => fc.record({ timeoutSeconds: fc.oneof({ arbitrary: fc.constantFrom(2, 3), weight: 4 }, fc.constant(600)) }),
  key: () => '',
  build: (stack, id, p, _retain, lookup) => {
    const identity = lookup(IDENTITY_OF[id])?.construct as EmailIdentity | undefined;
    identity?.waitForVerification({ timeout: Duration.seconds(p.timeoutSeconds) });
    return new Construct(stack, id);
  },
  expected: () => ({}),
  tags: () => ({}),
  // Every identity of the account: verified, due to be (when next read), and its DKIM status.
  observe: (state) => Object.fromEntries([...state.emailIdentities].map(([name, r]) => [name, {
    options: { verified: r.verifiedForSending, due: r.verifyAt !== undefined, dkimStatus: r.dkim.Status }, tags: {},
  }])),
  beforeDeploy: (state, step) => {
    if (step.verifyAfterMs !== undefined) {
      for (const r of state.emailIdentities.values()) if (!r.verifiedForSending && r.verifyAt === undefined) state.verifyIdentity(r.name);
    }
    state.verifyNewIdentitiesAfter(step.verifyAfterMs);
  },
  oracle: () => new VerificationOracle(),
};

/** The waits of a version that take effect (their identity is declared), with the identity's name. */
function declaredWaits(version: readonly Decl[]): Array<{ id: string; timeoutSeconds: number; identity: string }> {
  return version.filter((d) => d.kind === NAME).flatMap((d) => {
    const identity = version.find((x) => x.id === IDENTITY_OF[d.id]);
    return identity ? [{ id: d.id, timeoutSeconds: (d.props as WaitProps).timeoutSeconds, identity: identity.props.name as string }] : [];
  });
}

/** Whether the service verifies the identity (now, or soon after its creation in this deploy). */
export function verifies(before: World, step: Step | undefined, name: string): boolean {
  const got = before[NAME][name];
  return got ? Boolean(got.options.verified || got.options.due) : step?.verifyAfterMs !== undefined;
}

class VerificationOracle implements KindOracle {
  mayFail(version: readonly Decl[], world: World, step: Step): string | undefined {
    const w = declaredWaits(version).find((x) => !verifies(world, step, x.identity));
    return w && `${w.id} waits for ${w.identity}, which is never verified`;
  }

  after(op: Operation): string[] {
    const problems: string[] = [];
    // A fault may fail any step (a 400, a lost response); none and IAM delays leave only the wait's own reason.
    const faulted = op.step !== undefined && !['none', 'iam'].includes(op.step.fault.kind);
    for (const { event, calls } of op.requests) {
      if (event.resourceType !== TYPE || event.requestType === 'Delete') continue;
      const p = event.request.ResourceProperties as unknown as Record<string, string>;
      const label = `${event.phase} ${event.requestType} ${event.logicalId} (the wait for ${p.EmailIdentity})`;
      const ok = event.status === 'SUCCESS';
      const final = p.Final === 'true';
      if (p.PreviousVerified === 'true') {
        if (calls.length > 0) problems.push(`${label} called the API, though an earlier step saw the identity verified`);
        continue;
      }
      if (verifies(op.before, op.step, p.EmailIdentity)) {
        if (ok && event.data?.Verified !== 'true') problems.push(`${label} answered not verified, though DNS verifies it within ${Math.max(...VERIFY_AFTER_MS)} ms`);
      } else if (ok && (final || event.data?.Verified === 'true')) {
        problems.push(`${label} succeeded (Verified: ${event.data?.Verified}), though the identity is never verified`);
      } else if (!ok && !faulted) {
        const timedOut = `not verified for sending after ${p.TimeoutSeconds} seconds`;
        if (!final) problems.push(`${label} failed before the last step: ${event.reason}`);
        else if (!event.reason?.includes(timedOut)) problems.push(`${label} failed, but not with "${timedOut}": ${event.reason}`);
      }
    }
    if (op.step && op.result.ok) problems.push(...this.afterSuccess(op));
    return problems;
  }

  /** Every waited-for identity is verified, its wait has one step per 8 minutes, and its last step says so. */
  private afterSuccess(op: Operation): string[] {
    const problems: string[] = [];
    for (const w of declaredWaits(op.version)) {
      const identity = op.world[NAME][w.identity]?.options;
      if (!identity?.verified) problems.push(`${w.id}: the deploy succeeded, but ${w.identity} is not verified`);
      const steps = [...op.result.resources.values()].filter((r) => r.type === TYPE && r.properties.EmailIdentity === w.identity);
      if (steps.length !== Math.ceil(w.timeoutSeconds / STEP_SECONDS)) problems.push(`${w.id}: ${steps.length} steps for a timeout of ${w.timeoutSeconds} s`);
      const last = steps.find((r) => r.properties.Final === 'true');
      if (last?.data.VerifiedForSendingStatus !== 'true') problems.push(`${w.id}: its last step says VerifiedForSendingStatus ${last?.data.VerifiedForSendingStatus}`);
      // The DKIM status at the end of the wait, when the wait ran in this deploy (it is not refreshed afterwards).
      const ran = op.requests.some((r) => r.event.logicalId === last?.logicalId && r.event.phase.endsWith('_IN_PROGRESS') && !/ROLLBACK|CLEANUP/.test(r.event.phase));
      if (last && ran && last.data.DkimStatus !== identity?.dkimStatus) {
        problems.push(`${w.id}: its last step says DkimStatus ${last.data.DkimStatus}, the identity's is ${identity?.dkimStatus}`);
      }
    }
    return problems;
  }
}
