import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigurationSet, EmailApi, EmailApiVersion } from '../src';
import { sesV2OnlyProblems } from '../src/private/api-requirement';
import { EMAIL_API_ENV, EmailApiBackends } from '../src/private/contract';

type Json = any;

function stackWith(context: Record<string, unknown> = {}): Stack {
  const stack = new Stack(new App({ context }), 'Mail');
  new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });
  return stack;
}

function handlerEnvironment(stack: Stack): unknown {
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  expect(Object.keys(functions)).toHaveLength(1);
  return Object.values(functions)[0].Properties.Environment;
}

test('the API versions are the backends the handler knows', () => {
  expect(Object.values(EmailApiVersion).sort()).toEqual(Object.values(EmailApiBackends).sort());
});

describe('choosing the API', () => {
  test('by default the handler has no environment: Pinpoint Email, and the templates of earlier versions', () => {
    const stack = stackWith();
    expect(EmailApi.of(stack)).toBe(EmailApiVersion.PINPOINT_EMAIL);
    expect(handlerEnvironment(stack)).toBeUndefined();
  });

  test('the context key "pinpoint-email" is the default', () => {
    const stack = stackWith({ [EmailApi.CONTEXT_KEY]: 'pinpoint-email' });
    expect(EmailApi.of(stack)).toBe(EmailApiVersion.PINPOINT_EMAIL);
    expect(handlerEnvironment(stack)).toBeUndefined();
  });

  test('the context key "sesv2" reaches the handler through its environment', () => {
    const stack = stackWith({ [EmailApi.CONTEXT_KEY]: 'sesv2' });
    expect(EmailApi.of(stack)).toBe(EmailApiVersion.SES_V2);
    expect(handlerEnvironment(stack)).toEqual({ Variables: { [EMAIL_API_ENV]: 'sesv2' } });
  });

  test('EmailApi.use, even after the constructs, chooses the API of its stack only, over the context key', () => {
    const app = new App({ context: { [EmailApi.CONTEXT_KEY]: 'sesv2' } });
    const moved = new Stack(app, 'Moved');
    new ConfigurationSet(moved, 'Set', { configurationSetName: 'a' });
    EmailApi.use(moved, EmailApiVersion.PINPOINT_EMAIL);
    const other = new Stack(app, 'Other');
    new ConfigurationSet(other, 'Set', { configurationSetName: 'b' });

    expect(handlerEnvironment(moved)).toBeUndefined();
    expect(handlerEnvironment(other)).toEqual({ Variables: { [EMAIL_API_ENV]: 'sesv2' } });
  });

  test('the switch changes the handler function and the SES-v2-only actions of its policies: no custom resource, nothing replaced', () => {
    const before = Template.fromStack(stackWith()).toJSON();
    const after = Template.fromStack(stackWith({ [EmailApi.CONTEXT_KEY]: 'sesv2' })).toJSON();
    const changed = Object.keys(before.Resources)
      .filter((id) => JSON.stringify(before.Resources[id]) !== JSON.stringify(after.Resources[id]));
    expect(changed.map((id) => before.Resources[id].Type).sort()).toEqual(['AWS::IAM::Policy', 'AWS::Lambda::Function']);
    expect(Object.keys(after.Resources).sort()).toEqual(Object.keys(before.Resources).sort());
    const policy = changed.find((id) => before.Resources[id].Type === 'AWS::IAM::Policy')!;
    const actions = (template: Json) => (template.Resources[policy].Properties.PolicyDocument.Statement as Json[]).flatMap((s) => s.Action);
    expect(actions(after).filter((action: string) => !actions(before).includes(action)).sort()).toEqual([
      'ses:PutConfigurationSetSuppressionOptions', 'ses:PutConfigurationSetSuppressionOptions',
      'ses:PutConfigurationSetVdmOptions', 'ses:PutConfigurationSetVdmOptions',
    ]); // in the statement of the set's ARN and in the one by ownership tag
  });

  test('a context value that is neither fails synthesis, naming the key', () => {
    const stack = stackWith({ [EmailApi.CONTEXT_KEY]: 'v3' });
    expect(() => Template.fromStack(stack)).toThrow(
      /\[Mail\/PinpointEmailProvider\/Handler\] The context key cdk-pinpoint-email:api is "v3": use "pinpoint-email" \(the default\) or "sesv2"/);
  });

  test('EmailApi.use refuses a value that is not an EmailApiVersion (plain JavaScript)', () => {
    const stack = new Stack(new App(), 'Mail');
    expect(() => EmailApi.use(stack, 'sesv3' as EmailApiVersion)).toThrow(
      'Mail: EmailApi.use: "sesv3" is not an EmailApiVersion: use EmailApiVersion.PINPOINT_EMAIL or EmailApiVersion.SES_V2');
  });
});

describe('options that only SES v2 has', () => {
  test('set on a Pinpoint Email stack: one problem per prop, naming the prop and the switch', () => {
    const stack = stackWith();
    expect(sesV2OnlyProblems(stack, { suppressionReasons: ['BOUNCE'], httpsPolicy: undefined })).toEqual([
      'suppressionReasons needs the SES API v2, and this stack uses the Pinpoint Email API: set the context key cdk-pinpoint-email:api to "sesv2", or call EmailApi.use(stack, EmailApiVersion.SES_V2)',
    ]);
  });

  test('on a SES v2 stack, or unset, no problem', () => {
    expect(sesV2OnlyProblems(stackWith({ [EmailApi.CONTEXT_KEY]: 'sesv2' }), { suppressionReasons: ['BOUNCE'] })).toEqual([]);
    expect(sesV2OnlyProblems(stackWith(), { suppressionReasons: undefined })).toEqual([]);
  });
});
