import { Duration, Fn, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { IdentityVerificationAttributes, IdentityVerificationProperties, ResourceTypes } from './private/contract';
import { createPinpointEmailResource } from './private/pinpoint-email-resource';
import { addPropChecks } from './private/validation';

/** Options of `EmailIdentity.waitForVerification`. */
export interface VerificationWaitOptions {
  /**
   * How long the deployment waits for the identity to be verified for sending before it fails. At least 1 second and
   * at most 1 hour (what CloudFormation allows one custom resource). DKIM verification of a domain takes from minutes
   * to hours after its records are published; an address is verified when the link in its email is opened.
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
}

/** The identity, its DNS records, and what the steps of the wait wait for. */
export interface EmailIdentityVerificationProps extends VerificationWaitOptions {
  /** The identity's name (its `Ref`). */
  readonly emailIdentityName: string;
  /** The records to publish, `<name> CNAME <value>`, for the failure message; empty for an address. */
  readonly records: string[];
  /** Constructs that must exist before the wait starts: the identity's records in a Route 53 zone. */
  readonly after: IConstruct[];
}

const DEFAULT_TIMEOUT = Duration.minutes(30);
const MAX_TIMEOUT = Duration.hours(1);
/**
 * One step polls for at most 8 minutes: well within one invocation of the handler (10 minutes, of which the last 30
 * seconds are kept for answering) and CloudFormation's 11-minute ServiceTimeout of each custom resource.
 */
const STEP_SECONDS = 480;

/**
 * The wait for an email identity's verification, which other constructs can depend on (`node.addDependency`), or read
 * (`verifiedForSending`, `dkimStatus`). It is a chain of custom resources, each polling `GetEmailIdentity` for at most
 * 8 minutes, after the identity and its DNS records; the last one fails the deployment when the identity is still not
 * verified at the timeout, naming its DKIM status and the records to publish. A step that finds the identity verified
 * ends the wait: the steps after it make no call. The wait runs when the identity is created or replaced; once
 * verified, later deployments do not wait again.
 */
export class EmailIdentityVerification extends Construct {
  /** "true" when the wait ended with the identity verified for sending (a failed wait fails the deployment). */
  public readonly verifiedForSending: string;
  /**
   * The identity's DKIM status, as read by the step of the wait that saw it verified. `SUCCESS` for a verified domain;
   * for an address, what the API answers (such as `NOT_STARTED`), or empty when it gives none.
   */
  public readonly dkimStatus: string;
  /** The timeout the wait was declared with. */
  public readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: EmailIdentityVerificationProps) {
    super(scope, id);
    this.timeout = props.timeout ?? DEFAULT_TIMEOUT;
    const seconds = this.timeout.toMilliseconds() / 1000;
    addPropChecks(this, () => timeoutProblems(seconds));

    const steps = Math.max(1, Math.ceil(Math.min(Math.max(seconds, 1), MAX_TIMEOUT.toSeconds()) / STEP_SECONDS));
    let previous: ReturnType<typeof createPinpointEmailResource> | undefined;
    for (let i = 1; i <= steps; i++) {
      const step = new Construct(this, `Step${i}`);
      const stepSeconds = i < steps ? STEP_SECONDS : Math.max(1, seconds - STEP_SECONDS * (steps - 1));
      const resource = createPinpointEmailResource<IdentityVerificationProperties>(step, {
        resourceType: ResourceTypes.IDENTITY_VERIFICATION,
        // A wait is not taggable: this manager stays empty and out of reach of Tags.of.
        tags: new TagManager(TagType.KEY_VALUE, ResourceTypes.IDENTITY_VERIFICATION),
        properties: {
          EmailIdentity: props.emailIdentityName,
          StepSeconds: String(stepSeconds),
          TimeoutSeconds: String(seconds),
          Final: i === steps,
          PreviousVerified: previous?.getAttString(IdentityVerificationAttributes.VERIFIED),
          PreviousDkimStatus: previous?.getAttString(IdentityVerificationAttributes.DKIM_STATUS),
          Records: props.records.length > 0 ? Fn.join('; ', props.records) : undefined,
        },
      });
      if (i === 1) props.after.forEach((construct) => step.node.addDependency(construct));
      previous = resource;
    }
    this.verifiedForSending = previous!.getAttString(IdentityVerificationAttributes.VERIFIED_FOR_SENDING);
    this.dkimStatus = previous!.getAttString(IdentityVerificationAttributes.DKIM_STATUS);
  }
}

function timeoutProblems(seconds: number): string[] {
  if (Token.isUnresolved(seconds)) return [];
  if (seconds < 1 || seconds > MAX_TIMEOUT.toSeconds()) {
    return [`timeout ${seconds} seconds is invalid: waitForVerification waits at least 1 second and at most 1 hour (3600 seconds), ` +
      'what CloudFormation allows one custom resource'];
  }
  return [];
}
