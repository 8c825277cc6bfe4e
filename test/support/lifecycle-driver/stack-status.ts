/**
 * CloudFormation's `DescribeStacks` and `ListStackResources` for the driver's stack, over their real protocol
 * (awsQuery: a form-encoded `POST /`, an XML answer), on 127.0.0.1: what the handler reads to tell a rollback from a
 * forward update, and which resources of the stack hold what. It answers the status and resources the driver has
 * while it sends a request. The handler reaches it through `AWS_ENDPOINT_URL_CLOUDFORMATION`. A request signed by a
 * role session is authorized as `cloudformation:<action>` on the stack's ARN, with the role's policies in force, when
 * the driver's IAM binding can authorize (the local service's can).
 *
 * `failNext` makes the next requests, of either action, fail as CloudFormation fails them (its throttling:
 * `Throttling`, 400, "Rate exceeded"). Not served: any other operation, other stacks, pagination (every resource is
 * on one page).
 */
import { randomUUID } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { listenOnLoopback, loopbackUrl, stopServer } from '../loopback';

const SIGV4 = /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\//;
const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** What can authorize a request signed with a role session's key (the local service's IamAuthorizer). */
export interface StackReadAuthorizer {
  principalOf(accessKeyId: string): Principal | undefined;
  authorize(principal: Principal, requests: ReadonlyArray<{ action: string; resource: string; context: Record<string, never> }>): Promise<void>;
}

interface Principal {
  readonly roleArn: string;
  readonly accountId: string;
}

/** The stack as DescribeStacks and ListStackResources answer it, at the moment of the request. */
export interface DescribedStack {
  readonly stackId: string;
  readonly stackName: string;
  readonly status: string;
  readonly resources: readonly DescribedResource[];
}

export interface DescribedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  readonly status: string;
}

const ACTIONS = ['DescribeStacks', 'ListStackResources'] as const;
type Action = typeof ACTIONS[number];

class QueryError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

export class StackStatusEndpoint {
  static async start(stack: () => DescribedStack | undefined, authorizer?: StackReadAuthorizer): Promise<StackStatusEndpoint> {
    const endpoint = new StackStatusEndpoint(stack, authorizer);
    await listenOnLoopback(endpoint.server);
    return endpoint;
  }

  /** The statuses that DescribeStacks answered, in order (a denied or refused request answers none). */
  readonly answered: string[] = [];
  /** How many ListStackResources requests were answered. */
  resourceListings = 0;
  /** The error codes of the requests that failNext failed, in order. */
  readonly failed: string[] = [];
  private readonly server: Server;
  private readonly failures: QueryError[] = [];

  private constructor(private readonly stack: () => DescribedStack | undefined, private readonly authorizer?: StackReadAuthorizer) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => res.destroy(error));
    });
  }

  /** `http://127.0.0.1:<port>` */
  get endpoint(): string {
    return loopbackUrl(this.server);
  }

  async stop(): Promise<void> {
    await stopServer(this.server);
  }

  /** The next `count` requests for the stack fail with `code` (by default CloudFormation's throttling). */
  failNext(count: number, code = 'Throttling', message = 'Rate exceeded', status = 400): void {
    for (let i = 0; i < count; i++) this.failures.push(new QueryError(code, message, status));
  }

  /** The failures that failNext armed and no request met are dropped. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const action = form.get('Action') as Action;
      if (req.method !== 'POST' || !ACTIONS.includes(action)) throw new QueryError('InvalidAction', `${form.get('Action') ?? 'this action'} is not served here`);
      const stack = this.stack();
      const name = form.get('StackName');
      if (!stack || (name !== stack.stackId && name !== stack.stackName)) throw new QueryError('ValidationError', `Stack with id ${name} does not exist`);
      const accessKeyId = SIGV4.exec(String(req.headers.authorization ?? ''))?.[1];
      const principal = accessKeyId === undefined ? undefined : this.authorizer?.principalOf(accessKeyId);
      if (principal) await this.authorize(principal, action, stack.stackId);
      const failure = this.failures.shift();
      if (failure) {
        this.failed.push(failure.code);
        throw failure;
      }
      if (action === 'ListStackResources') {
        this.resourceListings++;
        send(res, 200, response(action, `<StackResourceSummaries>${stack.resources.map(summary).join('')}</StackResourceSummaries>`));
        return;
      }
      this.answered.push(stack.status);
      send(res, 200, response(action, '<Stacks><member>' +
        `<StackId>${escape(stack.stackId)}</StackId><StackName>${escape(stack.stackName)}</StackName>` +
        `<CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>${stack.status}</StackStatus>` +
        '</member></Stacks>'));
    } catch (error) {
      const failure = error instanceof QueryError ? error : new QueryError('InternalFailure', `local CloudFormation bug: ${String(error)}`, 500);
      send(res, failure.status, `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${failure.code}</Code>` +
        `<Message>${escape(failure.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
    }
  }

  /** AccessDenied, with the local IAM's wording, unless the role's policies in force allow the read. */
  private async authorize(principal: Principal, action: Action, stackId: string): Promise<void> {
    try {
      await this.authorizer!.authorize(principal, [{ action: `cloudformation:${action}`, resource: stackId, context: {} }]);
    } catch (error) {
      throw new QueryError('AccessDenied', (error as Error).message, 403);
    }
  }
}

function response(action: Action, result: string): string {
  return `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

function summary(r: DescribedResource): string {
  return `<member><LogicalResourceId>${escape(r.logicalId)}</LogicalResourceId>` +
    (r.physicalId === undefined ? '' : `<PhysicalResourceId>${escape(r.physicalId)}</PhysicalResourceId>`) +
    `<ResourceType>${escape(r.type)}</ResourceType><LastUpdatedTimestamp>2026-01-01T00:00:00.000Z</LastUpdatedTimestamp>` +
    `<ResourceStatus>${r.status}</ResourceStatus></member>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}
