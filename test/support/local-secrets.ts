/**
 * The smallest Secrets Manager the lifecycle tests need: `GetSecretValue`, over its real protocol (awsJson1_1:
 * `POST /` with `X-Amz-Target: secretsmanager.GetSecretValue`), on 127.0.0.1. The bundled handler reaches it through
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`. A request signed by a role session of the local service's IAM
 * (`IamAuthorizer.credentialsFor`) is authorized as `secretsmanager:GetSecretValue` on the secret's ARN, with the
 * role's policies in force, as the email API's requests are; a plain 12-digit key is the account's root user.
 *
 *   const secrets = await LocalSecretsManager.start(service.iam);
 *   const arn = secrets.putSecret('dkim-key', pem);
 *   ... secrets.calls ... await secrets.stop();
 *
 * Not served: any other operation, KMS (a secret is never encrypted here), resource policies, replication.
 */
import { randomBytes, randomUUID } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { ServiceError } from './local-service/errors';
import { IamAuthorizer } from './local-service/iam';
import { listenOnLoopback, loopbackUrl, stopServer } from './loopback';

const DEFAULT_ACCOUNT_ID = '123456789012';
const DEFAULT_REGION = 'us-east-1';
const TARGET = 'secretsmanager.GetSecretValue';
const SIGV4 = /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/\d{8}\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,/;

interface SecretVersion {
  readonly versionId: string;
  stages: string[];
  readonly value: { readonly text: string } | { readonly bytes: Buffer };
}

interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly versions: SecretVersion[];
}

/** One request, as the tests read it: never the value it answered. */
export interface SecretCall {
  readonly operation: string;
  readonly secretId?: string;
  readonly versionId?: string;
  readonly versionStage?: string;
  /** The role that signed it, when it was a role session (IAM evaluated it). */
  readonly roleArn?: string;
  readonly status: number;
  readonly errorName?: string;
}

class SecretsError extends Error {
  constructor(readonly errorName: string, message: string, readonly status = 400) {
    super(message);
  }
}

export class LocalSecretsManager {
  /** Listens on 127.0.0.1 on a free port; role sessions are those of `iam`. */
  static async start(iam: IamAuthorizer): Promise<LocalSecretsManager> {
    const secrets = new LocalSecretsManager(iam);
    await listenOnLoopback(secrets.server);
    return secrets;
  }

  readonly calls: SecretCall[] = [];
  private readonly server: Server;
  private readonly secrets = new Map<string, StoredSecret>();

  private constructor(private readonly iam: IamAuthorizer) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => res.destroy(error));
    });
  }

  /** `http://127.0.0.1:<port>` */
  get endpoint(): string {
    return loopbackUrl(this.server);
  }

  /** What points an SDK client (or the handler) at this service. */
  clientEnv(): Record<string, string> {
    return { AWS_ENDPOINT_URL_SECRETS_MANAGER: this.endpoint };
  }

  /**
   * Stores a secret of the default account and region, or a new current version of it (the previous one becomes
   * `AWSPREVIOUS`), and returns its full ARN (the name, a hyphen and 6 random characters, as Secrets Manager makes it).
   */
  putSecret(name: string, value: string | Buffer, options: { versionId?: string } = {}): { arn: string; versionId: string } {
    let secret = this.secrets.get(name);
    if (!secret) {
      const suffix = randomBytes(3).toString('hex');
      secret = { arn: `arn:aws:secretsmanager:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:secret:${name}-${suffix}`, name, versions: [] };
      this.secrets.set(name, secret);
    }
    for (const version of secret.versions) {
      version.stages = version.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : version.stages.filter((stage) => stage !== 'AWSPREVIOUS');
    }
    const versionId = options.versionId ?? randomUUID();
    secret.versions.push({ versionId, stages: ['AWSCURRENT'], value: typeof value === 'string' ? { text: value } : { bytes: value } });
    return { arn: secret.arn, versionId };
  }

  /** Forgets every secret and recorded call. */
  reset(): void {
    this.secrets.clear();
    this.calls.length = 0;
  }

  async stop(): Promise<void> {
    await stopServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const call: { -readonly [K in keyof SecretCall]: SecretCall[K] } = { operation: target.replace(/^secretsmanager\./, ''), status: 0 };
    this.calls.push(call);
    try {
      const credential = SIGV4.exec(String(req.headers.authorization ?? ''));
      if (!credential) throw new SecretsError('IncompleteSignatureException', 'Authorization header requires a SigV4 signature.', 403);
      const [, accessKeyId, region, service] = credential;
      if (service !== 'secretsmanager') throw new SecretsError('InvalidSignatureException', 'Credential should be scoped to correct service: \'secretsmanager\'.', 403);
      if (req.method !== 'POST' || target !== TARGET) throw new SecretsError('UnknownOperationException', `${target || 'this operation'} is not served here`);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string; VersionId?: string; VersionStage?: string };
      Object.assign(call, { secretId: input.SecretId, versionId: input.VersionId, versionStage: input.VersionStage });
      const principal = this.iam.principalOf(accessKeyId);
      call.roleArn = principal?.roleArn;
      const account = principal?.accountId ?? (/^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT_ID);
      const secret = this.find(input.SecretId, region, account);
      // IAM authorizes the secret's ARN, and a secret that does not exist on what was asked for.
      const resource = secret?.arn ?? requestedArn(input.SecretId, region, account);
      if (principal) await this.authorize(principal, resource);
      if (!secret) throw new SecretsError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.');
      const version = versionOf(secret, input.VersionId, input.VersionStage);
      call.status = 200;
      send(res, 200, {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        VersionStages: version.stages,
        ...('text' in version.value ? { SecretString: version.value.text } : { SecretBinary: version.value.bytes.toString('base64') }),
        CreatedDate: Date.now() / 1000,
      });
    } catch (error) {
      const failure = error instanceof SecretsError ? error : new SecretsError('InternalServiceError', `local Secrets Manager bug: ${String(error)}`, 500);
      call.status = failure.status;
      call.errorName = failure.errorName;
      send(res, failure.status, { __type: failure.errorName, Message: failure.message });
    }
  }

  /** A secret by full ARN, partial ARN (without the suffix) or name, in the caller's account and region. */
  private find(secretId: string | undefined, region: string, account: string): StoredSecret | undefined {
    if (!secretId) throw new SecretsError('InvalidParameterException', 'SecretId is required.');
    return [...this.secrets.values()].find((secret) => {
      if (region !== DEFAULT_REGION || account !== DEFAULT_ACCOUNT_ID) return false;
      return secretId === secret.arn || secretId === secret.name || secretId === secret.arn.slice(0, -'-xxxxxx'.length);
    });
  }

  /** AccessDeniedException, with AWS's wording, unless the role's policies in force allow the read. */
  private async authorize(principal: { roleArn: string; accountId: string }, resource: string): Promise<void> {
    try {
      await this.iam.authorize(principal, [{ action: 'secretsmanager:GetSecretValue', resource, context: {} }]);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      throw new SecretsError('AccessDeniedException', error.message);
    }
  }
}

function versionOf(secret: StoredSecret, versionId: string | undefined, versionStage: string | undefined): SecretVersion {
  const stage = versionStage ?? (versionId === undefined ? 'AWSCURRENT' : undefined);
  const version = secret.versions.find((v) =>
    (versionId === undefined || v.versionId === versionId) && (stage === undefined || v.stages.includes(stage)));
  if (!version) {
    throw new SecretsError('ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for ${versionId !== undefined ? `VersionId: ${versionId}` : `staging label: ${stage}`}`);
  }
  return version;
}

/** The ARN a request names: itself when it is one, else the secret of that name (IAM cannot know its suffix). */
function requestedArn(secretId: string | undefined, region: string, account: string): string {
  return secretId?.startsWith('arn:') ? secretId : `arn:aws:secretsmanager:${region}:${account}:secret:${secretId}`;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(json);
}
