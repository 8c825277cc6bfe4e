/**
 * The local service keeps IAM's decisions (test/support/local-service/iam.ts) by the statements the simulator read
 * and the request: a kept decision must never answer a question that differs in either.
 */
import { AuthorizationRequest, evaluate, RolePolicy } from '../support/local-service';

const PRINCIPAL = { roleArn: 'arn:aws:iam::123456789012:role/handler', accountId: '123456789012' };
const SET_ARN = 'arn:aws:ses:us-east-1:123456789012:configuration-set/orders';

function policies(actions: string[], resource = SET_ARN, condition?: Record<string, unknown>): RolePolicy[] {
  return [{ name: 'p', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource, ...(condition ? { Condition: condition } : {}) }] } }];
}

function request(action: string, context: AuthorizationRequest['context'] = {}, resource = SET_ARN): AuthorizationRequest {
  return { action, resource, context };
}

test('the same question under the same statements gets the same answer, from new arrays of equal policies too', async () => {
  expect(await evaluate(policies(['ses:GetConfigurationSet']), PRINCIPAL, request('ses:GetConfigurationSet'))).toBe('Allowed');
  expect(await evaluate(policies(['ses:GetConfigurationSet']), PRINCIPAL, request('ses:GetConfigurationSet'))).toBe('Allowed');
});

test('a change of the statements that apply is evaluated again', async () => {
  const question = request('ses:DeleteConfigurationSet');
  expect(await evaluate(policies(['ses:DeleteConfigurationSet']), PRINCIPAL, question)).toBe('Allowed');
  expect(await evaluate(policies(['ses:DeleteConfigurationSet'], `${SET_ARN}-other`), PRINCIPAL, question)).toBe('ImplicitlyDenied');
  expect(await evaluate(policies(['ses:GetConfigurationSet']), PRINCIPAL, question)).toBe('ImplicitlyDenied');
  expect(await evaluate(policies(['ses:DeleteConfigurationSet']), PRINCIPAL, question)).toBe('Allowed');
});

test('a change of the request (its context, resource or action) is evaluated again', async () => {
  const noAwsTags = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': ['aws:*'] } };
  const tagging = policies(['ses:TagResource'], SET_ARN, noAwsTags);
  expect(await evaluate(tagging, PRINCIPAL, request('ses:TagResource', { 'aws:TagKeys': ['team'] }))).toBe('Allowed');
  expect(await evaluate(tagging, PRINCIPAL, request('ses:TagResource', { 'aws:TagKeys': ['aws:team'] }))).toBe('ImplicitlyDenied');
  expect(await evaluate(tagging, PRINCIPAL, request('ses:TagResource', { 'aws:TagKeys': ['team'] }, `${SET_ARN}-other`))).toBe('ImplicitlyDenied');
  expect(await evaluate(tagging, PRINCIPAL, request('ses:UntagResource', { 'aws:TagKeys': ['team'] }))).toBe('ImplicitlyDenied');
  expect(await evaluate(tagging, PRINCIPAL, request('ses:TagResource', { 'aws:TagKeys': ['team'] }))).toBe('Allowed');
});
