/**
 * No redundant DependsOn (cfn-lint W3005): a resource never lists in DependsOn a resource that its properties already
 * reference with Ref, Fn::GetAtt or Fn::Sub, since the reference orders them.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { buildExampleStack } from '../examples/app';
import {
  ConfigurationSet, DedicatedIpPool, DeliverabilityDashboard, DeliverabilityTest, EmailIdentity, Identity, TestContent,
} from '../src';

/** The logical ids that `value` references. */
function references(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {value.forEach((item) => references(item, found));} else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'Ref' && typeof item === 'string') {found.add(item);} else if (key === 'Fn::GetAtt') {found.add(Array.isArray(item) ? String(item[0]) : String(item).split('.')[0]);} else if (key === 'Fn::Sub') {
        const text = Array.isArray(item) ? String(item[0]) : String(item);
        for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)(\.[^}]*)?\}/g)) found.add(match[1]);
        if (Array.isArray(item)) references(item[1], found);
      } else {references(item, found);}
    }
  }
  return found;
}

/** `<resource> -> <dependency>` for every DependsOn entry that a reference in the resource's properties already enforces. */
function redundantDependsOn(template: Record<string, any>): string[] {
  const redundant: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources as Record<string, any>)) {
    const referenced = references(resource.Properties ?? {});
    const dependsOn: string[] = typeof resource.DependsOn === 'string' ? [resource.DependsOn] : resource.DependsOn ?? [];
    for (const dependency of dependsOn) if (referenced.has(dependency)) redundant.push(`${id} -> ${dependency}`);
  }
  return redundant;
}

test('a stack with every construct has no DependsOn that a Ref or GetAtt already enforces', () => {
  const stack = new Stack(new App(), 'All');
  const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
  const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'pool' });
  new ConfigurationSet(stack, 'Set', { dedicatedIpPool: pool });
  const domain = new EmailIdentity(stack, 'Domain', { identity: Identity.publicHostedZone(zone), mailFromDomain: 'mail.example.com' });
  new DeliverabilityDashboard(stack, 'Dashboard');
  new DeliverabilityTest(stack, 'Test', { fromIdentity: domain, fromLocalPart: 'news', content: TestContent.simple({ subject: 'Hi', text: 'Hi' }) });

  expect(redundantDependsOn(Template.fromStack(stack).toJSON())).toEqual([]);
});

test('the example app has no redundant DependsOn either', () => {
  expect(redundantDependsOn(Template.fromStack(buildExampleStack(new App())).toJSON())).toEqual([]);
});

test('the check finds a redundant DependsOn', () => {
  expect(redundantDependsOn({ Resources: { A: { Properties: { X: { 'Fn::GetAtt': ['B', 'Arn'] } }, DependsOn: ['B', 'C'] } } })).toEqual(['A -> B']);
});
