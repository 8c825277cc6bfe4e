/**
 * The handler's permissions, evaluated by the local service (IAM simulated with the Service Authorization data) with the
 * stack's policies applied in CloudFormation's order: what the handler may do, and that removed or rolled-back
 * resources are still cleaned up.
 */
import { ListTagsForResourceCommand, PinpointEmailClient, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-pinpoint-email';
import { Stack } from 'aws-cdk-lib';
import { BACKENDS, lifecycleHarness } from './harness';
import {
  ConfigurationSet, DedicatedIpPool, DeliverabilityDashboard, DeliverabilityTest, EmailIdentity, Identity, TestContent,
} from '../../src';
import { AppliedPolicy, IamBinding } from '../support/lifecycle-driver';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  const SET = 'transactional';
  const POOL = 'marketing';
  const IDENTITY = 'example.com';
  const SENDER = 'news@example.com';

  /** Every kind of resource of the library, each present when its flag is on. */
  interface Kinds { set?: boolean; pool?: boolean; identity?: boolean; dashboard?: boolean; test?: boolean; failing?: boolean }

  function app(kinds: Kinds) {
    return (stack: Stack) => {
      if (kinds.set) new ConfigurationSet(stack, 'Set', { configurationSetName: SET, tags: { team: 'mail' } });
      if (kinds.pool) new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: POOL, tags: { team: 'mail' } });
      if (kinds.identity) new EmailIdentity(stack, 'Identity', { identity: Identity.domain(IDENTITY), tags: { team: 'mail' } });
      if (kinds.dashboard) new DeliverabilityDashboard(stack, 'Dashboard');
      if (kinds.test) {
        new DeliverabilityTest(stack, 'Test', {
          fromEmailAddress: SENDER, content: TestContent.simple({ subject: 'Hi', text: 'Hello' }), tags: { team: 'mail' },
        });
      }
      // A test whose sender has no identity: its create fails after every other resource exists, so the update rolls back.
      if (kinds.failing) {
        const others = stack.node.children.filter((child) => child.node.id !== 'PinpointEmailProvider');
        const failing = new DeliverabilityTest(stack, 'Failing', { fromEmailAddress: 'nobody@unknown.example', content: TestContent.simple({ subject: 'x', text: 'x' }) });
        failing.node.addDependency(...others);
      }
    };
  }

  /** What this stack leaves in the service. */
  function leftovers() {
    const state = h.state();
    return {
      configurationSets: [...state.configurationSets.keys()],
      dedicatedIpPools: [...state.dedicatedIpPools.keys()],
      emailIdentities: [...state.emailIdentities.keys()],
      dashboardEnabled: state.dashboard.enabled,
    };
  }

  const NOTHING = { configurationSets: [], dedicatedIpPools: [], emailIdentities: [], dashboardEnabled: false };

  function denials() {
    return h.service.calls.filter((c) => c.errorName === 'AccessDeniedException');
  }

  describe('every call of the handler is authorized as its role', () => {
    test('the calls of a whole stack are made as the handler role and allowed', async () => {
      const all = { set: true, pool: true, identity: true, dashboard: true };
      const created = await h.deployApp(app(all));

      expect(created.status).toBe('CREATE_COMPLETE');
      const roles = new Set(h.service.calls.map((c) => c.roleArn));
      expect([...roles]).toHaveLength(1);
      expect([...roles][0]).toMatch(new RegExp('^arn:aws:iam::123456789012:role/PinpointEmailProviderRole[0-9A-F]{8}$'));
      expect(h.service.iam.policiesInForce([...roles][0]!).length).toBeGreaterThan(0);
      expect(denials()).toEqual([]);
    });

    test('a policy without one action the handler needs fails the deploy with AccessDenied', async () => {
      // A Lambda timeout of 31 s leaves the handler 1 s of AccessDenied retries (it keeps 30 s to answer).
      h.replaceDriver({ iam: withoutAction(h.service.iam, 'ses:CreateConfigurationSet'), timeoutMs: 31_000 });

      const result = await h.deployApp(app({ set: true }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure?.reason).toMatch(/CreateConfigurationSet failed: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role\/PinpointEmailProviderRole[0-9A-F]{8}\/handler is not authorized to perform: ses:CreateConfigurationSet on resource: arn:aws:ses:us-east-1:123456789012:configuration-set\/transactional/);
      expect(h.state().configurationSets.size).toBe(0);
    });
  });

  describe('IAM propagation', () => {
    test('a policy that takes 3 s to apply: the handler retries the denied create until it is allowed', async () => {
      h.service.iam.propagationMs = 3_000;

      const result = await h.deployApp(app({ set: true }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(denials().map((c) => c.operation)[0]).toBe('CreateConfigurationSet');
      expect(h.callsOf('CreateConfigurationSet').at(-1)?.status).toBe(200);
      expect(h.state().configurationSets.has(SET)).toBe(true);
    }, 30_000);

    test('a permission that never comes fails after the bounded retries, naming the action', async () => {
      h.replaceDriver({ iam: withoutAction(h.service.iam, 'ses:CreateConfigurationSet'), timeoutMs: 36_000 });

      const result = await h.deployApp(app({ set: true }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure?.reason).toMatch(/not authorized to perform: ses:CreateConfigurationSet .* \(still denied after \d+ attempts/);
      expect(denials().length).toBeGreaterThan(1);
    }, 60_000);
  });

  describe('removing the last resource of a type deletes it under the policy in force', () => {
    const cases: Array<[string, Kinds]> = [
      ['configuration set', { set: true }],
      ['dedicated IP pool', { pool: true }],
      ['email identity', { identity: true }],
      ['deliverability dashboard', { dashboard: true }],
    ];

    test.each(cases)('the %s is deleted when a stack drops it and keeps another type', async (_name, kinds) => {
      const keep: Kinds = kinds.set ? { pool: true } : { set: true };
      expect((await h.deployApp(app({ ...keep, ...kinds }))).status).toBe('CREATE_COMPLETE');

      const removed = await h.deployApp(app(keep));

      expect(removed.status).toBe('UPDATE_COMPLETE');
      expect(removed.cleanupFailures).toEqual([]);
      expect(denials()).toEqual([]);
      const expected = { ...NOTHING, ...(keep.set ? { configurationSets: [SET] } : { dedicatedIpPools: [POOL] }) };
      expect(leftovers()).toEqual(expected);
    });

    test('a deliverability test dropped from the stack is removed without a denied call', async () => {
      h.state().enableDashboard();
      h.state().addEmailIdentity('example.com', { verified: true });
      expect((await h.deployApp(app({ set: true, test: true }))).status).toBe('CREATE_COMPLETE');

      const removed = await h.deployApp(app({ set: true }));

      expect(removed.status).toBe('UPDATE_COMPLETE');
      expect(removed.cleanupFailures).toEqual([]);
      expect(denials()).toEqual([]);
    });
  });

  describe('the rollback of an update that added the first resource of a type removes it', () => {
    const cases: Array<[string, Kinds]> = [
      ['configuration set', { set: true }],
      ['dedicated IP pool', { pool: true }],
      ['email identity', { identity: true }],
      ['deliverability dashboard', { dashboard: true }],
    ];

    test.each(cases)('the %s added with a failing resource is deleted by the rollback', async (_name, kinds) => {
      // The stack starts with a resource of another type only.
      const start: Kinds = kinds.pool ? { identity: true } : { pool: true };
      expect((await h.deployApp(app(start))).status).toBe('CREATE_COMPLETE');
      const before = leftovers();

      const failed = await h.deployApp(app({ ...start, ...kinds, failing: true }));

      expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(failed.failure?.logicalId).toMatch(/^Failing/);
      expect(failed.events.filter((e) => e.requestType === 'Create' && e.status === 'SUCCESS')).toHaveLength(1);
      expect(failed.cleanupFailures).toEqual([]);
      expect(denials()).toEqual([]);
      expect(leftovers()).toEqual(before);
    });
  });

  describe('an upgrade from the versions whose handler policy was an AWS::IAM::Policy', () => {
    /**
     * `template` as those versions wrote it: the handler's own policy as an `AWS::IAM::Policy` named
     * PinpointEmailHandler on the role, which the function depended on, and no inline policy in the role.
     */
    function withOwnPolicyResource(template: Record<string, any>): Record<string, any> {
      const resources = structuredClone(template.Resources);
      const [roleId, role] = Object.entries<any>(resources).find(([, r]) => r.Type === 'AWS::IAM::Role')!;
      const [functionId] = Object.entries<any>(resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
      const [own] = role.Properties.Policies;
      delete role.Properties.Policies;
      resources.PinpointEmailProviderPolicy4AF1E650 = {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyDocument: own.PolicyDocument, PolicyName: 'PinpointEmailHandler', Roles: [{ Ref: roleId }] },
      };
      resources[functionId].DependsOn = ['PinpointEmailProviderPolicy4AF1E650'];
      return { ...template, Resources: resources };
    }

    test('keeps the handler\'s own grants: the old policy\'s deletion does not delete the role\'s inline one, named otherwise', async () => {
      const build = app({ set: true });
      const current = h.synth(build);
      const [roleId] = Object.keys(current.Resources).filter((id) => current.Resources[id].Type === 'AWS::IAM::Role');
      const inForce = () => h.service.iam.policiesInForce(`arn:aws:iam::123456789012:role/${roleId}`)
        .map((p) => [p.name, (p.document as any).Statement.map((s: any) => s.Sid)]).sort();
      expect((await h.driver.deploy(withOwnPolicyResource(current))).status).toBe('CREATE_COMPLETE');
      expect(inForce().map(([name]) => name)).toEqual(['PinpointEmailConfigurationSet', 'PinpointEmailHandler']);

      const upgraded = await h.deployApp(build);

      expect([upgraded.status, upgraded.cleanupFailures]).toEqual(['UPDATE_COMPLETE', []]);
      expect(inForce().map(([name]) => name)).toEqual(['PinpointEmailConfigurationSet', 'PinpointEmailHandlerOwn']);
      expect(inForce()[1]).toEqual(['PinpointEmailHandlerOwn', ['WriteLogs', 'ReadOwnStackStatus']]);
    });
  });

  describe('an upgrade from schema version 1, whose Tags were a list of {Key, Value}', () => {
    /** `template` as schema version 1 wrote it. */
    function asSchemaVersion1(template: Record<string, any>): Record<string, any> {
      const resources = structuredClone(template.Resources);
      for (const resource of Object.values<any>(resources)) {
        if (!resource.Type.startsWith('Custom::PinpointEmail')) continue;
        resource.Properties.SchemaVersion = '1';
        const tags = resource.Properties.Tags;
        if (tags && !Array.isArray(tags)) resource.Properties.Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      }
      return { ...template, Resources: resources };
    }

    // An identity's update reads it for its attributes (DKIM tokens), whatever changed.
    test.each([
      ['a set, a pool and a deliverability test', { set: true, pool: true, test: true }, []],
      ['an identity', { identity: true }, ['GetEmailIdentity']],
    ])('%s: every resource is updated, and nothing is written', async (_what, kinds: Kinds, reads: string[]) => {
      if (kinds.test) {
        h.state().enableDashboard();
        h.state().addEmailIdentity('example.com', { verified: true });
      }
      const build = app(kinds);
      const current = h.synth(build);
      expect((await h.driver.deploy(asSchemaVersion1(current))).status).toBe('CREATE_COMPLETE');

      const upgraded = await h.deployApp(build);

      expect([upgraded.status, upgraded.cleanupFailures]).toEqual(['UPDATE_COMPLETE', []]);
      const custom = Object.keys(current.Resources).filter((id) => current.Resources[id].Type.startsWith('Custom::PinpointEmail'));
      const updates = upgraded.events.filter((e) => e.requestType === 'Update');
      expect(updates.map((e) => [e.logicalId, e.status, e.physicalId === e.oldPhysicalId]).sort()).toEqual(custom.map((id) => [id, 'SUCCESS', true]).sort());
      expect(h.operations()).toEqual(reads);
    });
  });

  describe('deliverability test reports', () => {
    beforeEach(() => {
      h.state().enableDashboard();
      h.state().addEmailIdentity('example.com', { verified: true });
    });

    test('the handler may tag its own reports, and no report of another stack', async () => {
      expect((await h.deployApp(app({ test: true }))).status).toBe('CREATE_COMPLETE');
      const own = [...h.state().deliverabilityTestReports.values()][0];
      const foreign = h.state().addDeliverabilityTestReport({ fromEmailAddress: SENDER, tags: { team: 'other' } });
      const role = h.service.calls.find((c) => c.roleArn)!.roleArn!;

      const client = roleClient(role);
      const arn = (id: string) => `arn:aws:ses:us-east-1:123456789012:deliverability-test-report/${id}`;
      await expect(client.listTags(arn(own.reportId))).resolves.toBeDefined();
      await expect(client.listTags(arn(foreign.reportId))).rejects.toThrow(/not authorized to perform: ses:ListTagsForResource/);
      await expect(client.tag(arn(foreign.reportId), { team: 'mine' })).rejects.toThrow(/not authorized to perform: ses:TagResource/);
      await expect(client.untag(arn(foreign.reportId), ['team'])).rejects.toThrow(/not authorized to perform: ses:UntagResource/);
      expect(foreign.tags).toEqual({ team: 'other' });
    });
  });

  /** The binding with `action` taken out of every statement of the policies the driver applies. */
  function withoutAction(binding: IamBinding, action: string): IamBinding {
    const strip = (policy: AppliedPolicy): AppliedPolicy => {
      const document = structuredClone(policy.document) as { Statement: Array<{ Action: string | string[] }> };
      for (const statement of document.Statement) {
        const actions = [statement.Action].flat().filter((a) => a !== action);
        statement.Action = actions.length > 0 ? actions : ['ses:GetAccount'];
      }
      return { ...policy, document };
    };
    return {
      credentialsFor: (roleArn) => binding.credentialsFor(roleArn),
      setRolePolicies: (roleArn, policies) => binding.setRolePolicies(roleArn, policies.map(strip)),
    };
  }

  /** A client signed as a session of `roleArn`: what the handler's own calls may do. */
  function roleClient(roleArn: string) {
    const { accessKeyId, secretAccessKey } = h.service.iam.credentialsFor(roleArn);
    const client = new PinpointEmailClient({ endpoint: h.service.endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
    return {
      listTags: (ResourceArn: string) => client.send(new ListTagsForResourceCommand({ ResourceArn })),
      tag: (ResourceArn: string, tags: Record<string, string>) =>
        client.send(new TagResourceCommand({ ResourceArn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })),
      untag: (ResourceArn: string, TagKeys: string[]) => client.send(new UntagResourceCommand({ ResourceArn, TagKeys })),
    };
  }
});
