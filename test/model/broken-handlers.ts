/**
 * Fixtures that break the bundled handler on purpose, one bug at a time, to prove that the oracle fails: each is a
 * small wrapper module around the real asset (the product is not changed), or, for a missing permission, a template
 * transform that drops an action from the handler's policy.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_HANDLER_PATH } from '../support/lifecycle-driver';

export type Bug =
  | 'missing-untag' | 'ignored-option-group' | 'rollback-deletes-old' | 'missing-permission' | 'api-read-at-load' | 'ignored-ses-v2-option'
  | 'ip-left-in-pool' | 'wait-without-polling';

const WRAPPERS: Record<Exclude<Bug, 'missing-permission'>, string> = {
  // The old tags are cut to the keys still wanted: a removed key is never untagged. (Tags: a map, or the list of {Key, Value}.)
  'missing-untag': `
    if (event.RequestType === 'Update') {
      const entries = (tags) => !tags ? [] : Array.isArray(tags) ? tags.map((t) => [t.Key, t.Value]) : Object.entries(tags);
      const wanted = new Set(entries(event.ResourceProperties.Tags).map(([key]) => key));
      const kept = Object.fromEntries(entries(event.OldResourceProperties.Tags).filter(([key]) => wanted.has(key)));
      event = { ...event, OldResourceProperties: { ...event.OldResourceProperties, Tags: kept } };
    }
    return real(event, context);`,
  // The delivery options group (TLS policy) is dropped from every event: it is never applied.
  'ignored-option-group': `
    const strip = (p) => { if (!p) return p; const { TlsPolicy, ...rest } = p; return rest; };
    event = { ...event, ResourceProperties: strip(event.ResourceProperties), OldResourceProperties: strip(event.OldResourceProperties) };
    return real(event, context);`,
  // The rollback of a rename (back to the old name, from the new id) deletes the old resource once it has answered.
  'rollback-deletes-old': `
    const nameOf = (p) => p && (p.ConfigurationSetName || p.PoolName || p.EmailIdentity);
    const name = nameOf(event.ResourceProperties);
    const result = await real(event, context);
    if (event.RequestType === 'Update' && name && name !== event.PhysicalResourceId) {
      const key = event.LogicalResourceId + '/' + name;
      if (renamedFrom.get(event.LogicalResourceId + '/' + event.PhysicalResourceId) === name) {
        await real({ ...event, RequestType: 'Delete', PhysicalResourceId: name, ResponseURL: 'http://127.0.0.1:9/lost' }, context);
      } else {
        renamedFrom.set(event.LogicalResourceId + '/' + name, event.PhysicalResourceId);
      }
      void key;
    }
    return result;`,
  // The API is read once, when the module loads, before Lambda gives it the function's variables: always Pinpoint Email.
  'api-read-at-load': `
    const chosen = process.env.CDK_PINPOINT_EMAIL_API;
    delete process.env.CDK_PINPOINT_EMAIL_API;
    try {
      return await real(event, context);
    } finally {
      if (chosen !== undefined) process.env.CDK_PINPOINT_EMAIL_API = chosen;
    }`,
  // A set's suppression options (SES v2 only) are dropped from every event: they are never applied.
  'ignored-ses-v2-option': `
    const strip = (p) => { if (!p) return p; const { SuppressionReasons, SuppressionListDisabled, ...rest } = p; return rest; };
    event = { ...event, ResourceProperties: strip(event.ResourceProperties), OldResourceProperties: strip(event.OldResourceProperties) };
    return real(event, context);`,
  // A dedicated IP's Delete sees it in another pool (as if someone had moved it): it never goes back.
  'ip-left-in-pool': `
    if (event.RequestType === 'Delete' && event.ResourceType === 'Custom::PinpointEmailDedicatedIp') {
      event = { ...event, ResourceProperties: { ...event.ResourceProperties, PoolName: 'elsewhere' } };
    }
    return real(event, context);`,
  // Every step of a verification wait takes the identity for verified, as a step after a verified one does.
  'wait-without-polling': `
    if (event.ResourceType === 'Custom::PinpointEmailIdentityVerification' && event.RequestType !== 'Delete') {
      event = { ...event, ResourceProperties: { ...event.ResourceProperties, PreviousVerified: 'true' } };
    }
    return real(event, context);`,
};

/**
 * The path of a handler module with `bug`, written into `dir` (the real asset for a missing permission, which the
 * template carries).
 */
export function brokenHandler(bug: Bug, dir: string): string {
  if (bug === 'missing-permission') return DEFAULT_HANDLER_PATH;
  const file = path.join(dir, `broken-${bug}.js`);
  fs.writeFileSync(file, [
    `const real = require(${JSON.stringify(DEFAULT_HANDLER_PATH)}).handler;`,
    'const renamedFrom = new Map();',
    `exports.handler = async (event, context) => {${WRAPPERS[bug]}\n};`,
  ].join('\n'));
  return file;
}

/** For a missing permission: the template without `ses:TagResource` in any policy statement. */
export function dropPermission(action: string): (template: Record<string, any>) => Record<string, any> {
  return (template) => {
    const copy = structuredClone(template);
    for (const resource of Object.values<any>(copy.Resources ?? {})) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      for (const statement of resource.Properties?.PolicyDocument?.Statement ?? []) {
        if (Array.isArray(statement.Action)) statement.Action = statement.Action.filter((a: string) => a !== action);
        else if (statement.Action === action) statement.Action = [];
      }
    }
    return copy;
  };
}
