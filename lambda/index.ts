/**
 * The custom-resource handler for every Pinpoint Email resource of a stack. CloudFormation invokes it directly; it
 * always answers through the ResponseURL, with a clear reason on failure, and never lets an error escape.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { createApi } from './api';
import { putResponse, responseBody, Result } from './cfn-response';
import { asObject, decodeLeniently, InvalidProperties } from './decode';
import { backendOf, EmailApi } from './email-api';
import { describeFailure, isNotFound, ResourceFailure } from './errors';
import { log } from './log';
import { createOwnStack, OwnStack } from './own-stack';
import { ownerMarker } from './ownership';
import { accountSettingsHandler } from './resources/account-settings';
import { configurationSetHandler } from './resources/configuration-set';
import { configurationSetEventDestinationHandler } from './resources/configuration-set-event-destination';
import { dedicatedIpHandler } from './resources/dedicated-ip';
import { dedicatedIpPoolHandler } from './resources/dedicated-ip-pool';
import { deliverabilityDashboardHandler } from './resources/deliverability-dashboard';
import { deliverabilityTestHandler } from './resources/deliverability-test';
import { emailIdentityHandler } from './resources/email-identity';
import { identityVerificationHandler } from './resources/identity-verification';
import { Environment, HandlerContext, ResourceHandler } from './resources/resource-handler';
import { createSecrets, Secrets } from './secrets';
import { ResourceType, ResourceTypes } from '../src/private/contract';

const HANDLERS: Record<ResourceType, ResourceHandler<any>> = {
  [ResourceTypes.CONFIGURATION_SET]: configurationSetHandler,
  [ResourceTypes.EMAIL_IDENTITY]: emailIdentityHandler,
  [ResourceTypes.DEDICATED_IP_POOL]: dedicatedIpPoolHandler,
  [ResourceTypes.DELIVERABILITY_TEST]: deliverabilityTestHandler,
  [ResourceTypes.DELIVERABILITY_DASHBOARD]: deliverabilityDashboardHandler,
  [ResourceTypes.IDENTITY_VERIFICATION]: identityVerificationHandler,
  [ResourceTypes.DEDICATED_IP]: dedicatedIpHandler,
  [ResourceTypes.ACCOUNT_SETTINGS]: accountSettingsHandler,
  [ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION]: configurationSetEventDestinationHandler,
};

/** API retries stop this long before the Lambda's deadline, leaving time to clean up and answer. */
const RETRY_MARGIN_MS = 30_000;
/** The answer is sent this long before the Lambda's deadline even if an API call still hangs. */
const ANSWER_MARGIN_MS = 5_000;
/** The physical id of a Create that failed: no resource has it, so the Delete that follows is a no-op. */
export const CREATE_FAILED_PREFIX = 'cdk-pinpoint-email:create-failed:';
/** How long CloudFormation signs a SigV2 ResponseURL for. */
const SIGV2_VALIDITY_MS = 2 * 60 * 60 * 1000;
/** The provider framework's marker (aws-cdk-lib/custom-resources), in case a resource ever came from it. */
const PROVIDER_FRAMEWORK_CREATE_FAILED = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  const fields = {
    requestType: String(event.RequestType),
    resourceType: String(event.ResourceType),
    logicalId: event.LogicalResourceId,
    physicalId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : undefined,
  };
  log('request', fields);
  const result = await withinDeadline(handle(event, context), context, failureId(event));
  const body = responseBody(event, result);
  log('response', {
    ...fields,
    physicalId: result.physicalResourceId,
    status: result.status,
    reason: result.status === 'FAILED' ? result.reason : undefined,
    responseBytes: Buffer.byteLength(body),
  });
  try {
    await putResponse(event.ResponseURL, body);
  } catch (error) {
    log('could not send the response', { ...fields, reason: (error as Error).message });
  }
}

async function handle(event: CloudFormationCustomResourceEvent, context: Context): Promise<Result> {
  let label = `${String(event.ResourceType)} ${event.LogicalResourceId}`;
  try {
    const resourceHandler = Object.hasOwn(HANDLERS, event.ResourceType) ? HANDLERS[event.ResourceType as ResourceType] : undefined;
    if (!resourceHandler) throw new InvalidProperties(`unknown resource type ${String(event.ResourceType)}`);
    const props = asObject(event.ResourceProperties, 'ResourceProperties');
    const deadline = Date.now() + context.getRemainingTimeInMillis() - RETRY_MARGIN_MS;
    const backend = backendOf(process.env);
    let probe: EmailApi | undefined;
    let secrets: Secrets | undefined;
    let stack: OwnStack | undefined;
    const ctx: HandlerContext = {
      api: createApi(backend, deadline),
      // Only the deliverability test handler reads with it: built on first use, not for every event.
      get probe() {
        probe ??= createApi(backend, deadline, { accessDeniedRetryMs: 0 });
        return probe;
      },
      // Only an identity with BYODKIM reads a secret.
      get secrets() {
        secrets ??= createSecrets(deadline);
        return secrets;
      },
      // Only the rollback check of a take-back and an event destination's Delete read it.
      get stack() {
        stack ??= createOwnStack(String(event.StackId), deadline);
        return stack;
      },
      deadline,
      environment: environmentOf(context.invokedFunctionArn),
      requestId: event.RequestId,
      requestIssuedAt: issuedAt(event.ResponseURL),
      logicalId: String(event.LogicalResourceId),
      owner: ownerMarker(String(event.StackId), String(event.LogicalResourceId)),
    };

    switch (event.RequestType) {
      case 'Create': {
        const decoded = resourceHandler.decode(props);
        label = resourceHandler.describe(decoded);
        return success(await resourceHandler.create(ctx, decoded));
      }
      case 'Update': {
        const decoded = resourceHandler.decode(props);
        label = resourceHandler.describe(decoded);
        const old = decodeOld(resourceHandler, event.OldResourceProperties);
        return success(await resourceHandler.update(ctx, event.PhysicalResourceId, decoded, old));
      }
      case 'Delete': {
        if (neverCreated(event.PhysicalResourceId)) return deleted(event.PhysicalResourceId);
        const decoded = resourceHandler.decode(props);
        label = resourceHandler.describe(decoded);
        if (resourceHandler.owns(event.PhysicalResourceId, decoded)) {
          await resourceHandler.delete(ctx, event.PhysicalResourceId, decoded);
        } else {
          log('not deleting a physical id this handler did not create', { logicalId: event.LogicalResourceId });
        }
        return deleted(event.PhysicalResourceId);
      }
      default:
        throw new InvalidProperties(`unknown request type ${String((event as { RequestType?: unknown }).RequestType)}`);
    }
  } catch (error) {
    const hint = event.RequestType === 'Update' && isNotFound(error)
      ? ' (if it was deleted outside CloudFormation, remove it from the stack or rename it to create a new one)'
      : '';
    return { status: 'FAILED', physicalResourceId: failureId(event), reason: describeFailure(label, error) + hint };
  }
}

/**
 * The old properties of an update, read leniently: whatever cannot be read counts as changed. They may be a shape that
 * the strict decoding rejects (the invalid properties of an update that failed, sent back by its rollback; the shape
 * of a newer library version after a downgrade), and failing on them would fail the rollback too.
 */
function decodeOld<P>(resourceHandler: ResourceHandler<P>, raw: unknown): P {
  const props = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw as Record<string, unknown> : {};
  try {
    return resourceHandler.decode(props);
  } catch (error) {
    if (!(error instanceof InvalidProperties)) throw error;
    log('reading the old properties leniently', { reason: error.message });
    return decodeLeniently(() => resourceHandler.decode(props));
  }
}

function success(outcome: { physicalResourceId: string; data: Record<string, string> }): Result {
  return { status: 'SUCCESS', physicalResourceId: outcome.physicalResourceId, data: outcome.data };
}

function deleted(physicalResourceId: string): Result {
  return { status: 'SUCCESS', physicalResourceId, data: {} };
}

function neverCreated(physicalId: string): boolean {
  return physicalId.startsWith(CREATE_FAILED_PREFIX) || physicalId === PROVIDER_FRAMEWORK_CREATE_FAILED;
}

/** The physical id to report when the request fails: unchanged, or a marker for a Create. */
function failureId(event: CloudFormationCustomResourceEvent): string {
  return 'PhysicalResourceId' in event && event.PhysicalResourceId
    ? event.PhysicalResourceId
    : `${CREATE_FAILED_PREFIX}${event.RequestId}`;
}

/**
 * When the ResponseURL was signed: its `X-Amz-Date` (SigV4), or its `Expires` (SigV2) less the two hours CloudFormation
 * signs it for [unverified]. Undefined when the URL says neither.
 */
export function issuedAt(responseUrl: string | undefined): number | undefined {
  let query: URLSearchParams;
  try {
    query = new URL(String(responseUrl)).searchParams;
  } catch {
    return undefined;
  }
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  if (date) return Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
  const expires = Number(query.get('Expires'));
  return Number.isFinite(expires) && expires > 0 ? expires * 1000 - SIGV2_VALIDITY_MS : undefined;
}

function environmentOf(functionArn: string): Environment {
  const [, partition, , region, account] = functionArn.split(':');
  if (!partition || !region || !account) throw new ResourceFailure(`cannot read the environment from ${functionArn}`);
  return { partition, region, account };
}

/** Answers FAILED shortly before the Lambda deadline if the work has not finished, so the stack never hangs. */
async function withinDeadline(work: Promise<Result>, context: Context, physicalResourceId: string): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Result>((resolve) => {
    timer = setTimeout(() => resolve({
      status: 'FAILED',
      physicalResourceId,
      reason: 'The handler ran out of time before the Pinpoint Email API answered; retry the deployment.',
    }), Math.max(0, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
