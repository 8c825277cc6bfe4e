/**
 * CloudFormation's `DescribeStacks` for the driver's stack, over its real protocol (awsQuery: a form-encoded
 * `POST /`, an XML answer), on 127.0.0.1: what the handler reads to tell a rollback from a forward update. It answers
 * the status the driver is in while it sends a request. The handler reaches it through `AWS_ENDPOINT_URL_CLOUDFORMATION`.
 * A request signed by a role session is authorized as `cloudformation:DescribeStacks` on the stack's ARN, with the
 * role's policies in force, when the driver's IAM binding can authorize (the local service's can).
 *
 * `failNext` makes the next requests fail as CloudFormation fails them (its throttling: `Throttling`, 400, "Rate
 * exceeded"). Not served: any other operation, other stacks, pagination.
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

/** The stack as DescribeStacks answers it, at the moment of the request. */
export interface DescribedStack {
  readonly stackId: string;
  readonly stackName: string;
  readonly status: string;
}

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

  /** The statuses answered, in order (a denied or refused request answers none). */
  readonly answered: string[] = [];
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
      if (req.method !== 'POST' || form.get('Action') !== 'DescribeStacks') throw new QueryError('InvalidAction', `${form.get('Action') ?? 'this action'} is not served here`);
      const stack = this.stack();
      const name = form.get('StackName');
      if (!stack || (name !== stack.stackId && name !== stack.stackName)) throw new QueryError('ValidationError', `Stack with id ${name} does not exist`);
      const accessKeyId = SIGV4.exec(String(req.headers.authorization ?? ''))?.[1];
      const principal = accessKeyId === undefined ? undefined : this.authorizer?.principalOf(accessKeyId);
      if (principal) await this.authorize(principal, stack.stackId);
      const failure = this.failures.shift();
      if (failure) {
        this.failed.push(failure.code);
        throw failure;
      }
      this.answered.push(stack.status);
      send(res, 200, `<DescribeStacksResponse xmlns="${XMLNS}"><DescribeStacksResult><Stacks><member>` +
        `<StackId>${escape(stack.stackId)}</StackId><StackName>${escape(stack.stackName)}</StackName>` +
        `<CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>${stack.status}</StackStatus>` +
        `</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`);
    } catch (error) {
      const failure = error instanceof QueryError ? error : new QueryError('InternalFailure', `local DescribeStacks bug: ${String(error)}`, 500);
      send(res, failure.status, `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${failure.code}</Code>` +
        `<Message>${escape(failure.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
    }
  }

  /** AccessDenied, with the local IAM's wording, unless the role's policies in force allow the read. */
  private async authorize(principal: Principal, stackId: string): Promise<void> {
    try {
      await this.authorizer!.authorize(principal, [{ action: 'cloudformation:DescribeStacks', resource: stackId, context: {} }]);
    } catch (error) {
      throw new QueryError('AccessDenied', (error as Error).message, 403);
    }
  }
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}
