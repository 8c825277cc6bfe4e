import * as http from 'http';
import * as path from 'path';
import { App, Aws, CfnCondition, CfnOutput, CfnResource, CustomResource, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  CfnTemplate, describeEvent, DriverEvent, DriverResult, IamBinding, LifecycleDriver, LifecycleDriverError, LifecycleDriverOptions,
} from './support/lifecycle-driver';

const FAKE_HANDLER = path.join(__dirname, 'support', 'lifecycle-driver', 'fixtures', 'fake-handler.js');
const RESOURCE_TYPE = 'Custom::PinpointEmailFake';

interface FakeCall {
  readonly event: {
    readonly RequestType: string;
    readonly LogicalResourceId: string;
    readonly ServiceToken: string;
    readonly ResourceProperties: Record<string, unknown>;
    readonly OldResourceProperties?: Record<string, unknown>;
    readonly PhysicalResourceId?: string;
  };
  readonly instance: number;
  readonly remainingMs: number;
  readonly functionArn: string;
  readonly marker?: string;
  readonly region?: string;
  readonly finishedBefore: readonly string[];
}

interface FakeState {
  readonly loads: number;
  readonly calls: readonly FakeCall[];
  readonly maxInFlight: number;
}

const globals = globalThis as { __fakeCfnHandler?: FakeState };
const fake = (): FakeState => globals.__fakeCfnHandler!;
const callOf = (requestType: string, logicalId: string): FakeCall => {
  const call = fake().calls.find((c) => c.event.RequestType === requestType && c.event.LogicalResourceId === logicalId);
  if (!call) throw new Error(`no ${requestType} call for ${logicalId}`);
  return call;
};

interface Helpers {
  readonly stack: Stack;
  /** A custom resource served by the stack's Lambda function, with a stable logical id. */
  cr(id: string, properties?: Record<string, unknown>, options?: { removalPolicy?: RemovalPolicy; dependsOn?: CustomResource[] }): CustomResource;
}

/** Synthesizes a stack shaped like the library's: custom resources whose ServiceToken is one Lambda function's ARN. */
function synth(build: (h: Helpers) => void, synthOptions: { skipCycleCheck?: boolean; functionEnv?: Record<string, string> } = {}): CfnTemplate {
  const stack = new Stack(new App(), 'DriverTest');
  const fn = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    environment: synthOptions.functionEnv,
  });
  (fn.node.defaultChild as CfnResource).overrideLogicalId('Handler');
  build({
    stack,
    cr(id, properties = {}, options = {}) {
      const resource = new CustomResource(stack, id, {
        serviceToken: fn.functionArn,
        resourceType: RESOURCE_TYPE,
        properties,
        removalPolicy: options.removalPolicy,
      });
      (resource.node.defaultChild as CfnResource).overrideLogicalId(id);
      for (const dep of options.dependsOn ?? []) resource.node.addDependency(dep);
      return resource;
    },
  });
  return Template.fromStack(stack, { skipCyclicalDependenciesCheck: synthOptions.skipCycleCheck }).toJSON();
}

const drivers: LifecycleDriver[] = [];
function driver(options: LifecycleDriverOptions = {}): LifecycleDriver {
  const d = new LifecycleDriver({ handlerPath: FAKE_HANDLER, ...options });
  drivers.push(d);
  return d;
}

beforeEach(() => {
  delete globals.__fakeCfnHandler;
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

const summary = (events: readonly DriverEvent[]): string[] =>
  events.map((e) => `${e.requestType} ${e.logicalId} ${e.physicalId ?? '-'} ${e.status}`);

function expectOk(result: DriverResult): void {
  expect({ status: result.status, failure: result.failure }).toEqual({ status: expect.stringMatching(/_COMPLETE$/), failure: undefined });
  expect(result.ok).toBe(true);
}

describe('create', () => {
  const template = (): CfnTemplate => synth(({ stack, cr }) => {
    const isEu = new CfnCondition(stack, 'IsEu', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    const a = cr('A', { Name: 'a-1', DelayMs: 150, Data: { List: 'x,y,z' } });
    const b = cr('B', { DelayMs: 150 });
    const c = cr('C', {
      RefA: a.ref,
      AttB: b.getAttString('Id'),
      Sub: Fn.sub('${AWS::Partition}:${AWS::Region}:${AWS::AccountId}:${AWS::URLSuffix}/${A}/${B.Id}/${!Literal}'),
      SubVars: Fn.sub('${Name}-${AWS::StackName}', { Name: a.ref }),
      Join: Fn.join('/', [a.ref, 'lit', b.ref]),
      Select: Fn.select(1, Fn.split(',', a.getAttString('List'))),
      Flag: true,
      Count: 5,
      List: [1, false, 'text', { Deep: 2.5 }],
      Nested: { Inner: { Value: 7 } },
      IfElse: Fn.conditionIf(isEu.logicalId, 'eu', 'elsewhere'),
      Gone: Fn.conditionIf(isEu.logicalId, 'eu', Aws.NO_VALUE),
    });
    cr('D', {}, { dependsOn: [c] });
    const onlyInEu = cr('OnlyInEu');
    (onlyInEu.node.defaultChild as CfnResource).cfnOptions.condition = isEu;
  });

  test('runs independent resources concurrently and each resource after its dependencies', async () => {
    const result = await driver().deploy(template());

    expectOk(result);
    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.events.map((e) => `${e.requestType} ${e.logicalId}`).sort()).toEqual(['Create A', 'Create B', 'Create C', 'Create D']);
    expect(fake().maxInFlight).toBe(2); // A and B together
    expect(callOf('Create', 'C').finishedBefore).toEqual(expect.arrayContaining(['Create:A', 'Create:B']));
    expect(callOf('Create', 'D').finishedBefore).toContain('Create:C'); // DependsOn
    expect([...result.resources.keys()].sort()).toEqual(['A', 'B', 'C', 'D']); // OnlyInEu's condition is false
    // Console output is captured per invocation, even for the two that ran at once.
    expect(result.events.map((e) => [e.logicalId, e.logs])).toEqual(expect.arrayContaining([['A', ['fake Create A']], ['B', ['fake Create B']]]));
    expect(result.events.every((e) => e.logs.length === 1 && e.logs[0] === `fake Create ${e.logicalId}`)).toBe(true);
  });

  test('resolves intrinsics and sends every scalar as a string, as CloudFormation does', async () => {
    const d = driver({ accountId: '111122223333', region: 'us-west-2', stackName: 'Pinpoint' });
    const result = await d.deploy(template());

    expectOk(result);
    const b = result.resources.get('B')!.physicalId;
    const props = callOf('Create', 'C').event.ResourceProperties;
    expect(props).toEqual({
      ServiceToken: 'arn:aws:lambda:us-west-2:111122223333:function:Handler',
      RefA: 'a-1',
      AttB: b,
      Sub: `aws:us-west-2:111122223333:amazonaws.com/a-1/${b}/\${Literal}`,
      SubVars: 'a-1-Pinpoint',
      Join: `a-1/lit/${b}`,
      Select: 'y',
      Flag: 'true',
      Count: '5',
      List: ['1', 'false', 'text', { Deep: '2.5' }],
      Nested: { Inner: { Value: '7' } },
      IfElse: 'elsewhere',
    });
    expect(callOf('Create', 'A').event.ResourceProperties).toEqual({
      ServiceToken: 'arn:aws:lambda:us-west-2:111122223333:function:Handler', Name: 'a-1', DelayMs: '150', Data: { List: 'x,y,z' },
    });
    const call = callOf('Create', 'C');
    expect(call.event.ServiceToken).toBe(props.ServiceToken);
    expect(call.functionArn).toBe(props.ServiceToken);
    expect(call.region).toBe('us-west-2');
    expect(result.events.find((e) => e.logicalId === 'C')!.request).toMatchObject({
      StackId: expect.stringMatching(/^arn:aws:cloudformation:us-west-2:111122223333:stack\/Pinpoint\/[0-9a-f-]{36}$/),
      ResponseURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.+\?.*X-Amz-Signature=/),
      ResourceType: RESOURCE_TYPE,
    });
  });

  test('bounds the invocations with the concurrency option', async () => {
    const result = await driver({ concurrency: 1 }).deploy(template());

    expectOk(result);
    expect(fake().maxInFlight).toBe(1);
  });

  test('sets env around each invocation, restores it, and loads a fresh handler module per driver', async () => {
    delete process.env.FAKE_HANDLER_MARKER;
    const template1 = synth(({ cr }) => cr('A'));
    await driver({ env: { FAKE_HANDLER_MARKER: 'one' }, timeoutMs: 60_000 }).deploy(template1);
    await driver({ env: { FAKE_HANDLER_MARKER: 'two' } }).deploy(template1);

    expect(fake().calls.map((c) => [c.marker, c.instance])).toEqual([['one', 1], ['two', 2]]);
    expect(fake().loads).toBe(2);
    expect(process.env.FAKE_HANDLER_MARKER).toBeUndefined();
    expect(fake().calls[0].remainingMs).toBeGreaterThan(59_000);
    expect(fake().calls[0].remainingMs).toBeLessThanOrEqual(60_000);
  });

  test('runs each handler with its function\'s environment variables, over env; a variable the function lost is unset', async () => {
    delete process.env.FAKE_HANDLER_MARKER;
    const d = driver({ env: { FAKE_HANDLER_MARKER: 'driver' } });
    expectOk(await d.deploy(synth(({ cr }) => cr('A', { Name: 'a' }), { functionEnv: { FAKE_HANDLER_MARKER: 'function' } })));
    expectOk(await d.deploy(synth(({ cr }) => cr('A', { Name: 'a', Version: '2' }))));

    expect(fake().calls.map((c) => [c.event.RequestType, c.marker])).toEqual([['Create', 'function'], ['Update', undefined]]);
    expect(process.env.FAKE_HANDLER_MARKER).toBeUndefined();
  });

  test('a cleanup runs on the function that exists then, with its environment, when the function goes too', async () => {
    delete process.env.FAKE_HANDLER_MARKER;
    const functionEnv = { FAKE_HANDLER_MARKER: 'function' };
    const none: CfnTemplate = { Resources: { Placeholder: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } };
    const d = driver({ env: { FAKE_HANDLER_MARKER: 'driver' } });
    expectOk(await d.deploy(synth(({ cr }) => cr('A', { Name: 'a' }), { functionEnv })));
    // The last resource and its function leave the stack: the function, deleted after it, runs its Delete as it was.
    expectOk(await d.deploy(none));
    // An update creates the function and a resource that fails: the rollback's cleanup deletes it on that function.
    const failed = await d.deploy(synth(({ cr }) => {
      cr('B', { Name: 'b' });
      cr('C', { Name: 'c', Behavior: { Create: 'fail' } });
    }, { functionEnv }));

    expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const calls = fake().calls.map((c) => `${c.event.RequestType} ${c.event.LogicalResourceId} ${c.marker}`);
    expect(calls.slice(0, 2)).toEqual(['Create A function', 'Delete A function']);
    expect(calls.slice(2).sort()).toEqual(['Create B function', 'Create C function', 'Delete B function', 'Delete C function']);
  });
});

describe('update', () => {
  const v1 = (): CfnTemplate => synth(({ cr }) => {
    const a = cr('A', { Name: 'a-1', Size: 1 });
    cr('B', { Name: 'b-1', Tags: [{ Key: 'k', Value: 'v1' }] });
    cr('C', { Name: 'c-1', Target: a.ref }, { removalPolicy: RemovalPolicy.RETAIN });
    cr('D', { Name: 'd-1', Target: a.getAttString('Id') });
    cr('Removed', { Name: 'removed-1' });
  });

  test('sends Update with the old properties only to changed resources; an identical template sends nothing', async () => {
    const d = driver();
    const first = await d.deploy(v1());
    const result = await d.deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-1', Size: 2 }); // in place: same Name
      cr('B', { Name: 'b-1', Tags: [{ Key: 'k', Value: 'v1' }] });
      cr('C', { Name: 'c-1', Target: a.ref }, { removalPolicy: RemovalPolicy.RETAIN });
      cr('D', { Name: 'd-1', Target: a.getAttString('Id') });
      cr('Removed', { Name: 'removed-1' });
    }));

    expectOk(result);
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(summary(result.events)).toEqual(['Update A a-1 SUCCESS']);
    const update = result.events[0].request;
    expect(update).toMatchObject({
      RequestType: 'Update',
      PhysicalResourceId: 'a-1',
      ResourceProperties: { Name: 'a-1', Size: '2' },
      OldResourceProperties: { Name: 'a-1', Size: '1' },
    });
    expect(update.StackId).toBe(first.events[0].request.StackId);

    const again = await d.deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-1', Size: 2 });
      cr('B', { Name: 'b-1', Tags: [{ Key: 'k', Value: 'v1' }] });
      cr('C', { Name: 'c-1', Target: a.ref }, { removalPolicy: RemovalPolicy.RETAIN });
      cr('D', { Name: 'd-1', Target: a.getAttString('Id') });
      cr('Removed', { Name: 'removed-1' });
    }));
    expect(again.status).toBe('UPDATE_COMPLETE');
    expect(again.events).toEqual([]);
  });

  test('a new physical id is a replacement: dependents update, then cleanup deletes the old id; removed resources are deleted', async () => {
    const d = driver();
    await d.deploy(v1());
    const result = await d.deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-2', Size: 1 }, { removalPolicy: RemovalPolicy.RETAIN });
      cr('B', { Name: 'b-1', Tags: [{ Key: 'k', Value: 'v1' }] });
      cr('C', { Name: 'c-1', Target: a.ref }, { removalPolicy: RemovalPolicy.RETAIN });
      cr('D', { Name: 'd-1', Target: a.getAttString('Id') });
      cr('New', { Name: 'new-1', Target: a.ref });
    }));

    expectOk(result);
    const forward = result.events.filter((e) => e.phase === 'UPDATE_IN_PROGRESS');
    const cleanup = result.events.filter((e) => e.phase === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(forward.length + cleanup.length).toBe(result.events.length);
    expect(summary(forward).sort()).toEqual(['Create New new-1 SUCCESS', 'Update A a-2 SUCCESS', 'Update C c-1 SUCCESS', 'Update D d-1 SUCCESS']);
    expect(forward.find((e) => e.logicalId === 'C')!.request).toMatchObject({ ResourceProperties: { Target: 'a-2' }, OldResourceProperties: { Target: 'a-1' } });
    expect(callOf('Update', 'D').finishedBefore).toContain('Update:A');
    // The new template gives A `UpdateReplacePolicy: Retain`: the replaced a-1 is kept.
    expect(result.retained).toEqual([{ logicalId: 'A', physicalId: 'a-1', policy: 'UpdateReplacePolicy' }]);
    expect(summary(cleanup)).toEqual(['Delete Removed removed-1 SUCCESS']);
    expect(cleanup[0].request).toMatchObject({ PhysicalResourceId: 'removed-1', ResourceProperties: { Name: 'removed-1' } });
    expect(cleanup[0].seq).toBeGreaterThan(Math.max(...forward.map((e) => e.seq)));
    expect([...result.resources.keys()].sort()).toEqual(['A', 'B', 'C', 'D', 'New']);
    expect(result.resources.get('A')).toMatchObject({ physicalId: 'a-2', data: { Id: 'a-2' }, properties: { Name: 'a-2', Size: '1' } });
  });

  test('cleanup sends Delete for the replaced id with the old properties; a RETAIN resource removed from the template is kept', async () => {
    const d = driver();
    await d.deploy(v1());
    const result = await d.deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-2', Size: 1 });
      cr('B', { Name: 'b-1', Tags: [{ Key: 'k', Value: 'v1' }] });
      cr('D', { Name: 'd-1', Target: a.getAttString('Id') });
      cr('Removed', { Name: 'removed-1' });
    }));

    expectOk(result);
    const cleanup = result.events.filter((e) => e.phase === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(summary(cleanup)).toEqual(['Delete A a-1 SUCCESS']);
    expect(result.retained).toEqual([{ logicalId: 'C', physicalId: 'c-1', policy: 'DeletionPolicy' }]);
    expect([...result.resources.keys()].sort()).toEqual(['A', 'B', 'D', 'Removed']);
    expect(cleanup[0].request).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'a-1', ResourceProperties: { Name: 'a-1', Size: '1' } });
    const lastForward = Math.max(...result.events.filter((e) => e.phase === 'UPDATE_IN_PROGRESS').map((e) => e.seq));
    expect(cleanup[0].seq).toBeGreaterThan(lastForward);
  });
});

describe('failure and rollback', () => {
  test('a failed create rolls back: Delete in reverse order, the failed resource included with the id it returned', async () => {
    const result = await driver().deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-1' });
      const b = cr('B', { Name: 'b-1', Ref: a.ref, Behavior: { Create: 'fail' } });
      cr('C', { Ref: b.ref });
    }));

    expect(result.ok).toBe(false);
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failure).toEqual({ logicalId: 'B', requestType: 'Create', physicalId: 'b-1', reason: 'fake Create failure' });
    expect(summary(result.events)).toEqual([
      'Create A a-1 SUCCESS',
      'Create B b-1 FAILED',
      'Delete B b-1 SUCCESS',
      'Delete A a-1 SUCCESS',
    ]);
    expect(result.events.slice(2).map((e) => e.phase)).toEqual(['ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS']);
    expect(result.events[2].request).toMatchObject({ PhysicalResourceId: 'b-1', ResourceProperties: { Name: 'b-1', Ref: 'a-1' } });
    expect(result.resources.size).toBe(0);
  });

  test('after a failure nothing new starts: creates under way finish, then are rolled back', async () => {
    const result = await driver().deploy(synth(({ cr }) => {
      cr('Fails', { Name: 'fails-1', Behavior: { Create: 'fail' } });
      const slow = cr('Slow', { Name: 'slow-1', DelayMs: 100 });
      cr('AfterSlow', { Name: 'after-1', Ref: slow.ref });
    }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(summary(result.events.slice(0, 2))).toEqual(['Create Fails fails-1 FAILED', 'Create Slow slow-1 SUCCESS']);
    expect(summary(result.events.slice(2)).sort()).toEqual(['Delete Fails fails-1 SUCCESS', 'Delete Slow slow-1 SUCCESS']);
    expect(fake().calls.map((c) => c.event.LogicalResourceId)).not.toContain('AfterSlow');
  });

  test('a failed update rolls back with swapped properties, deletes what it created and the replacement ids not kept', async () => {
    const d = driver();
    const v1 = (): CfnTemplate => synth(({ cr }) => {
      const a = cr('A', { Name: 'a-1' });
      cr('B', { Target: a.ref, Size: 1 });
    });
    const created = await d.deploy(v1());
    const bId = created.resources.get('B')!.physicalId;

    const result = await d.deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-2' }); // replacement
      cr('B', { Target: a.ref, Size: 2, Behavior: { Update: 'fail' } });
      cr('New', { Name: 'new-1' });
    }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.failure).toMatchObject({ logicalId: 'B', requestType: 'Update', reason: 'fake Update failure' });
    const byPhase = (phase: string): DriverEvent[] => result.events.filter((e) => e.phase === phase);
    expect(summary(byPhase('UPDATE_IN_PROGRESS')).sort()).toEqual(['Create New new-1 SUCCESS', 'Update A a-2 SUCCESS', `Update B ${bId} FAILED`]);

    const rollback = byPhase('UPDATE_ROLLBACK_IN_PROGRESS');
    expect(summary(rollback)).toEqual(['Update A a-1 SUCCESS', `Update B ${bId} SUCCESS`]);
    expect(rollback[0].request).toMatchObject({
      PhysicalResourceId: 'a-2',
      ResourceProperties: { Name: 'a-1' },
      OldResourceProperties: { Name: 'a-2' },
    });
    expect(rollback[1].request).toMatchObject({
      PhysicalResourceId: bId,
      ResourceProperties: { Target: 'a-1', Size: '1' },
      OldResourceProperties: { Target: 'a-2', Size: '2', Behavior: { Update: 'fail' } },
    });

    const cleanup = byPhase('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(summary(cleanup)).toEqual(['Delete New new-1 SUCCESS', 'Delete A a-2 SUCCESS']);
    expect(cleanup[1].request).toMatchObject({ ResourceProperties: { Name: 'a-2' } });
    expect(cleanup[0].seq).toBeGreaterThan(Math.max(...rollback.map((e) => e.seq)));

    expect([...result.resources.values()].map((r) => [r.logicalId, r.physicalId])).toEqual([['A', 'a-1'], ['B', bId]]);
    expect(result.resources.get('B')!.properties).toMatchObject({ Target: 'a-1', Size: '1' });

    // The stack is usable again: an update goes from the rolled-back state.
    const retry = await d.deploy(v1());
    expect(retry.status).toBe('UPDATE_COMPLETE');
    expect(retry.events).toEqual([]);
  });

  test('a failed update whose FAILED response names a new id: the rollback updates that id and the cleanup deletes it', async () => {
    const d = driver();
    await d.deploy(synth(({ cr }) => cr('A', { Name: 'a-1' })));

    const result = await d.deploy(synth(({ cr }) => cr('A', { Name: 'a-2', Behavior: { Update: 'fail' } })));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(summary(result.events)).toEqual(['Update A a-2 FAILED', 'Update A a-1 SUCCESS', 'Delete A a-2 SUCCESS']);
    expect(result.events[1].request).toMatchObject({ PhysicalResourceId: 'a-2', ResourceProperties: { Name: 'a-1' } });
    expect(result.events[2].request).toMatchObject({ ResourceProperties: { Name: 'a-2', Behavior: { Update: 'fail' } } });
    expect(result.resources.get('A')!.physicalId).toBe('a-1');
  });

  test('a failed update rollback leaves UPDATE_ROLLBACK_FAILED: only destroy() proceeds', async () => {
    const d = driver();
    await d.deploy(synth(({ cr }) => cr('A', { Name: 'a-1', Behavior: { Update: 'fail' } })));

    const result = await d.deploy(synth(({ cr }) => {
      cr('A', { Name: 'a-1', Size: 2, Behavior: { Update: 'fail' } });
      cr('New', { Name: 'new-1' });
    }));

    expect(result.status).toBe('UPDATE_ROLLBACK_FAILED');
    expect(result.rollbackFailure).toEqual({ logicalId: 'A', requestType: 'Update', physicalId: 'a-1', reason: 'fake Update failure' });
    expect(summary(result.events.filter((e) => e.phase === 'UPDATE_ROLLBACK_IN_PROGRESS'))).toEqual(['Update A a-1 FAILED']);
    await expect(d.deploy(synth(({ cr }) => cr('A', { Name: 'a-1' })))).rejects.toThrow(/UPDATE_ROLLBACK_FAILED: only destroy\(\) can proceed/);
    const destroyed = await d.destroy();
    expect(destroyed.status).toBe('DELETE_COMPLETE');
    expect(summary(destroyed.events).sort()).toEqual(['Delete A a-1 SUCCESS', 'Delete New new-1 SUCCESS']);
  });

  test('the rollback of a create honours Retain, but not RetainExceptOnCreate', async () => {
    const result = await driver().deploy(synth(({ cr }) => {
      const kept = cr('Kept', { Name: 'kept-1' }, { removalPolicy: RemovalPolicy.RETAIN });
      const notKept = cr('NotKept', { Name: 'not-kept-1' }, { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
      cr('Fails', { Name: 'fails-1', Behavior: { Create: 'fail' } }, { dependsOn: [kept, notKept] });
    }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(summary(result.events.filter((e) => e.phase === 'ROLLBACK_IN_PROGRESS'))).toEqual(['Delete Fails fails-1 SUCCESS', 'Delete NotKept not-kept-1 SUCCESS']);
    expect(result.retained).toEqual([{ logicalId: 'Kept', physicalId: 'kept-1', policy: 'DeletionPolicy' }]);
  });

  test('a response over 4096 bytes fails the resource; the rollback deletes it under a placeholder id', async () => {
    const result = await driver().deploy(synth(({ cr }) => cr('Big', { Name: 'big-1', Behavior: { Create: 'oversize' } })));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const [create, rollback] = result.events;
    expect(create.status).toBe('FAILED');
    expect(create.responseBytes).toBeGreaterThan(4096);
    expect(create.reason).toMatch(/^Response object is too long: \d+ bytes/);
    expect(create.physicalId).toBeUndefined(); // CloudFormation never reads the id of a rejected response
    expect(rollback).toMatchObject({ requestType: 'Delete', placeholderPhysicalId: true, physicalId: expect.stringMatching(/^LifecycleDriverStack-Big-[0-9A-F]{12}$/) });
  });

  test.each([
    ['none', /^no response from handler: the handler returned without sending a response/],
    ['throw', /^no response from handler: the handler threw: Error: fake handler exploded$/],
    ['hang', /^no response from handler: the handler did not finish within 300 ms/],
    ['bad-request-id', /^Invalid response: RequestId "not-the-request-id" does not match/],
    ['drop-query', /^no response from handler: the handler threw: Error: PUT answered 403$/],
    ['chunked', /^no response from handler: the handler threw: Error: PUT answered 411$/],
  ])('a create that answers %s fails cleanly', async (behavior, reason) => {
    const started = Date.now();
    const result = await driver({ timeoutMs: 300 }).deploy(synth(({ cr }) => cr('A', { Behavior: { Create: behavior } })));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failure?.reason).toMatch(reason);
    expect(result.events.map((e) => `${e.requestType} ${e.status}`)).toEqual(['Create FAILED', 'Delete SUCCESS']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a Data attribute the response lacks fails the dependent resource before any request', async () => {
    const result = await driver().deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-1' });
      cr('B', { Missing: a.getAttString('NoSuchKey') });
    }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failure).toMatchObject({ logicalId: 'B', requestType: 'Create' });
    expect(result.failure!.reason).toMatch(/custom resource A \(a-1\) returned no Data attribute "NoSuchKey"/);
    expect(summary(result.events)).toEqual(['Create A a-1 SUCCESS', 'Delete A a-1 SUCCESS']);
  });
});

describe('reporting', () => {
  test('onEvent sees every event as it happens; describeEvent and resolve() serve printers and outputs', async () => {
    const seen: string[] = [];
    const d = driver({ onEvent: (e) => seen.push(describeEvent(e)) });
    const template = synth(({ stack, cr }) => {
      const a = cr('A', { Name: 'a-1', Data: { Arn: 'arn:aws:ses:us-east-1:123456789012:configuration-set/a-1' } });
      new CfnOutput(stack, 'Arn', { value: a.getAttString('Arn') });
    });
    await d.deploy(template);
    await d.deploy(synth(({ cr }) => cr('A', { Name: 'a-2' })));

    expect(seen).toEqual([
      expect.stringMatching(/^CREATE_IN_PROGRESS Create A \(Custom::PinpointEmailFake\) \[a-1\] SUCCESS \(\d+ ms, \d+ B\)$/),
      expect.stringMatching(/^UPDATE_IN_PROGRESS Update A \(Custom::PinpointEmailFake\) \[a-1 -> a-2\] SUCCESS /),
      expect.stringMatching(/^UPDATE_COMPLETE_CLEANUP_IN_PROGRESS Delete A \(Custom::PinpointEmailFake\) \[a-1\] SUCCESS /),
    ]);
    expect(d.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(d.resolve({ 'Fn::Sub': '${A}:${AWS::Region}' })).toBe('a-2:us-east-1');
    expect(() => d.resolve((template.Outputs as Record<string, { Value: unknown }>).Arn.Value)).toThrow(/returned no Data attribute "Arn"/);
  });
});

describe('destroy', () => {
  test('deletes in reverse dependency order, skips RETAIN, and stops the response server', async () => {
    const d = driver();
    await d.deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-1' });
      const b = cr('B', { Name: 'b-1', Ref: a.ref });
      cr('C', { Name: 'c-1' }, { dependsOn: [b] });
      cr('Kept', { Name: 'kept-1', Ref: a.ref }, { removalPolicy: RemovalPolicy.RETAIN });
    }));
    const lastUrl = d.events[d.events.length - 1].request.ResponseURL;

    const result = await d.destroy();

    expectOk(result);
    expect(result.status).toBe('DELETE_COMPLETE');
    expect(summary(result.events)).toEqual(['Delete C c-1 SUCCESS', 'Delete B b-1 SUCCESS', 'Delete A a-1 SUCCESS']);
    expect(result.retained).toEqual([{ logicalId: 'Kept', physicalId: 'kept-1', policy: 'DeletionPolicy' }]);
    expect(d.status).toBeUndefined();
    expect(d.resources.size).toBe(0);
    await expect(new Promise((resolve, reject) => {
      http.request(lastUrl, { method: 'PUT', agent: false }, resolve).on('error', reject).end();
    })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('a failed delete leaves the stack in DELETE_FAILED with what was not deleted', async () => {
    const d = driver();
    await d.deploy(synth(({ cr }) => {
      const a = cr('A', { Name: 'a-1' });
      cr('B', { Name: 'b-1', Ref: a.ref, Behavior: { Delete: 'fail' } });
      cr('C', { Name: 'c-1' });
    }));

    const result = await d.destroy();

    expect(result.status).toBe('DELETE_FAILED');
    expect(result.failure).toEqual({ logicalId: 'B', requestType: 'Delete', physicalId: 'b-1', reason: 'fake Delete failure' });
    expect(result.events.map((e) => `${e.requestType} ${e.logicalId} ${e.status}`).sort()).toEqual(['Delete B FAILED', 'Delete C SUCCESS']);
    expect([...result.resources.keys()]).toEqual(['A', 'B']); // A waits for B, which is still there
    await expect(d.deploy(synth(({ cr }) => cr('A')))).rejects.toThrow(/DELETE_FAILED: only destroy\(\) can proceed/);
  });
});

describe('template checks', () => {
  test.each([
    ['an unsupported intrinsic', { 'Fn::ImportValue': 'Shared' }, /Fn::ImportValue is not supported/],
    ['a reference cycle', { 'Fn::GetAtt': ['Other', 'Id'] }, /circular dependency between resources: Loop -> Other -> Loop/],
  ])('rejects %s before sending anything', async (_name, value, message) => {
    const template = synth(({ cr }) => {
      const loop = cr('Loop', { Value: value });
      cr('Other', { Value: loop.ref });
    }, { skipCycleCheck: true });
    const d = driver();

    await expect(d.deploy(template)).rejects.toThrow(LifecycleDriverError);
    await expect(d.deploy(template)).rejects.toThrow(message);
    expect(d.events).toHaveLength(0);
  });

  test('a missing handler asset is a clear error', async () => {
    const d = driver({ handlerPath: path.join(__dirname, 'no-such-handler.js') });
    await expect(d.deploy(synth(({ cr }) => cr('A')))).rejects.toThrow(/handler asset not found: .*no-such-handler\.js \(build it with `npx projen bundle`/);
  });
});

describe('IAM policies, applied in CloudFormation\'s order', () => {
  /** What the binding saw: each invocation with the policy versions in force, and the role's last policy set. */
  function recordingBinding() {
    const inForce = new Map<string, string[]>();
    const atInvocation: string[][] = [];
    const binding: IamBinding = {
      credentialsFor: (roleArn) => {
        atInvocation.push([...inForce.get(roleArn) ?? []]);
        return { accessKeyId: 'ASIAFAKE', secretAccessKey: 'fake' };
      },
      setRolePolicies: (roleArn, policies) => {
        inForce.set(roleArn, policies.map((p) => `${p.name}:${(p.document as { Statement: Array<{ Sid: string }> }).Statement[0].Sid}`));
      },
    };
    /** The policies in force at the invocation of `requestType` on `logicalId`. */
    const at = (requestType: string, logicalId: string): string[] => {
      const index = fake().calls.findIndex((c) => c.event.RequestType === requestType && c.event.LogicalResourceId === logicalId);
      if (index < 0) throw new Error(`no ${requestType} call for ${logicalId}`);
      return atInvocation[index];
    };
    return { binding, at, now: (): string[] => [...inForce.values()].flat() };
  }

  /**
   * A stack whose custom resources each depend on a policy `P<id>` of the handler's role, whose first Sid is `version`,
   * and on the resources declared before them when `after` says so.
   */
  function stackWith(resources: Record<string, { version: string; props?: Record<string, unknown>; after?: boolean }>): CfnTemplate {
    return synth(({ stack, cr }) => {
      const fn = stack.node.findChild('Handler') as lambda.Function;
      const declared: CustomResource[] = [];
      for (const [id, { version, props, after }] of Object.entries(resources)) {
        const policy = new iam.Policy(stack, `P${id}`, {
          policyName: `P${id}`,
          roles: [fn.role!],
          statements: [new iam.PolicyStatement({ sid: version, actions: ['ses:GetAccount'], resources: ['*'] })],
        });
        (policy.node.defaultChild as CfnResource).overrideLogicalId(`P${id}`);
        const resource = cr(id, props);
        resource.node.addDependency(policy, ...(after ? declared : []));
        declared.push(resource);
      }
    });
  }

  test('create: a policy is in force before the resources that depend on it', async () => {
    const iamRecord = recordingBinding();
    const d = driver({ iam: iamRecord.binding });

    expectOk(await d.deploy(stackWith({ A: { version: 'v1' } })));

    expect(iamRecord.at('Create', 'A')).toEqual(['PA:v1']);
  });

  test('update: the new policy is in force for the updates and the whole cleanup; a removed policy goes after its dependents', async () => {
    const iamRecord = recordingBinding();
    const d = driver({ iam: iamRecord.binding });
    expectOk(await d.deploy(stackWith({ A: { version: 'v1', props: { Name: 'a-1' } }, B: { version: 'b1' } })));

    // A is replaced (a new Name) and its policy changes; B and its policy leave the template.
    expectOk(await d.deploy(stackWith({ A: { version: 'v2', props: { Name: 'a-2' } } })));

    expect(iamRecord.at('Update', 'A')).toEqual(['PA:v2', 'PB:b1']);
    const cleanup = fake().calls.filter((c) => c.event.RequestType === 'Delete').map((c) => ({ c }));
    expect(cleanup.map(({ c }) => c.event.LogicalResourceId).sort()).toEqual(['A', 'B']);
    expect(callOf('Delete', 'A').event.PhysicalResourceId).toBe('a-1');
    expect(iamRecord.at('Delete', 'B')).toEqual(['PA:v2', 'PB:b1']);
    expect(iamRecord.at('Delete', 'A')).toContain('PA:v2');
    expect(iamRecord.now()).toEqual(['PA:v2']);
  });

  test('rollback: the old policy is back before its dependents are rolled back, and the cleanup runs under it', async () => {
    const iamRecord = recordingBinding();
    const d = driver({ iam: iamRecord.binding });
    expectOk(await d.deploy(stackWith({ A: { version: 'v1', props: { Tag: 'old' } } })));

    const failed = await d.deploy(stackWith({
      A: { version: 'v2', props: { Tag: 'new' } },
      C: { version: 'c1' },
      F: { version: 'f1', props: { Behavior: { Create: 'fail' } }, after: true },
    }));

    expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(iamRecord.at('Update', 'A')).toContain('PA:v2');
    const rollback = fake().calls.filter((c) => c.event.RequestType === 'Update' && c.event.LogicalResourceId === 'A');
    expect(rollback).toHaveLength(2);
    const rollbackIndex = fake().calls.lastIndexOf(rollback[1]);
    expect(iamRecord.at('Delete', 'C')).toEqual(expect.arrayContaining(['PA:v1', 'PC:c1']));
    expect(fake().calls.indexOf(callOf('Delete', 'C'))).toBeGreaterThan(rollbackIndex);
    expect(iamRecord.now()).toEqual(['PA:v1']);
  });

  test('stack delete: a policy is removed after every resource that depends on it', async () => {
    const iamRecord = recordingBinding();
    const d = driver({ iam: iamRecord.binding });
    expectOk(await d.deploy(stackWith({ A: { version: 'v1' } })));

    expectOk(await d.destroy());

    expect(iamRecord.at('Delete', 'A')).toEqual(['PA:v1']);
    expect(iamRecord.now()).toEqual([]);
  });
});
