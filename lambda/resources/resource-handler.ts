import { RawProperties } from '../decode';
import { EmailApi } from '../email-api';
import { OwnStack } from '../own-stack';
import { Secrets } from '../secrets';

/** Where the handler runs, taken from the Lambda function's own ARN. */
export interface Environment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** What one event's work needs. */
export interface HandlerContext {
  /** The stack's backend (Pinpoint Email or SES v2). */
  readonly api: EmailApi;
  /**
   * The same, but an AccessDeniedException is final: for reads whose denial means "not this stack's" (IAM grants some
   * reads by the ownership tag), where waiting for IAM propagation would only cost time.
   */
  readonly probe: EmailApi;
  /** Secrets Manager, for the secrets a resource names (a BYODKIM private key). */
  readonly secrets: Secrets;
  /**
   * The handler's own stack: whether it is rolling back (a take-back's rollback releases what it took), and its
   * resources (a destination's Delete leaves one that another resource of the stack holds).
   */
  readonly stack: OwnStack;
  /** The logical id of the stack resource of this request. */
  readonly logicalId: string;
  readonly environment: Environment;
  /** CloudFormation's id of this request. */
  readonly requestId: string;
  /**
   * When CloudFormation issued this request (epoch ms), read from the signing time of its ResponseURL; undefined when
   * the URL does not say. A request that arrives long after it was issued may be a retry of one that already ran.
   */
  readonly requestIssuedAt?: number;
  /** Epoch ms after which no API call should start: the Lambda's deadline less the time kept to answer. */
  readonly deadline?: number;
  /**
   * The ownership marker of this stack resource (lambda/ownership.ts): every create call tags the new resource with it,
   * and a create that meets an existing resource treats it as its own only when it carries this value.
   */
  readonly owner: string;
}

/** What a successful Create or Update returns to CloudFormation. */
export interface Outcome {
  readonly physicalResourceId: string;
  /** Small values readable with Fn::GetAtt; the whole response must stay under 4 KB. */
  readonly data: Record<string, string>;
}

/** Create, update and delete for one custom resource type. `P` is the decoded properties. */
export interface ResourceHandler<P> {
  /** Human name of the resource type, for messages ("Configuration set"). */
  readonly label: string;
  /** Decodes and checks properties; throws InvalidProperties. */
  decode(raw: RawProperties): P;
  /** Names the resource in messages. */
  describe(props: P): string;
  create(ctx: HandlerContext, props: P): Promise<Outcome>;
  update(ctx: HandlerContext, physicalId: string, props: P, oldProps: P): Promise<Outcome>;
  /** Whether `physicalId` is one that create() could have returned for `props`; Delete of any other id is a no-op. */
  owns(physicalId: string, props: P): boolean;
  delete(ctx: HandlerContext, physicalId: string, props: P): Promise<void>;
}

export function arnOf(environment: Environment, resource: string, name: string): string {
  return `arn:${environment.partition}:ses:${environment.region}:${environment.account}:${resource}/${name}`;
}
