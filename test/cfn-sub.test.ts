/**
 * The handler's policy writes each ARN's `Fn::Join` as one `Fn::Sub` (src/private/cfn-sub.ts): the same value once
 * CloudFormation resolves it, the same text for the size estimate, and the text cdk-nag names its findings with.
 */
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { joinAsSub, listAsSplit } from '../src/private/cfn-sub';
import { cfnText, longestText, nagText } from '../src/private/cfn-text';
import { Resolver } from './support/lifecycle-driver/template';

const PARTITION = { Ref: 'AWS::Partition' };
const REGION = { Ref: 'AWS::Region' };
const ACCOUNT = { Ref: 'AWS::AccountId' };

/** What formatArn gives for a configuration set of an environment-agnostic stack. */
const SET_ARN = { 'Fn::Join': ['', ['arn:', PARTITION, ':ses:', REGION, ':', ACCOUNT, ':configuration-set/orders']] };
/** An identity whose name has IAM's escape of a literal `*`, and a parameter in it. */
const ESCAPED_ARN = { 'Fn::Join': ['', ['arn:', PARTITION, ':ses:us-east-1:123456789012:identity/a${*}b@', { Ref: 'Domain' }]] };
const LOG_GROUP_ARN = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Logs', 'Arn'] }, ':*']] };

function resolver(): Resolver {
  return new Resolver({
    template: { Resources: { Logs: { Type: 'AWS::Logs::LogGroup' } }, Parameters: { Domain: { Type: 'String', Default: 'example.com' } } },
    pseudo: {
      accountId: '123456789012',
      region: 'eu-west-1',
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
      stackName: 'Mail',
      stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Mail/1a2b',
    },
    parameterValues: {},
    resource: () => ({ type: 'AWS::Logs::LogGroup', custom: false, physicalId: 'logs', data: {} }),
  });
}

describe('joinAsSub', () => {
  test('writes an ARN of pseudo parameters as one Fn::Sub string', () => {
    expect(joinAsSub(SET_ARN)).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/orders' });
  });

  test('writes a literal ${ as ${! and a parameter as ${Name}', () => {
    expect(joinAsSub(ESCAPED_ARN)).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:ses:us-east-1:123456789012:identity/a${!*}b@${Domain}' });
  });

  test('writes an Fn::GetAtt as ${Resource.Attribute}', () => {
    expect(joinAsSub(LOG_GROUP_ARN)).toEqual({ 'Fn::Sub': '${Logs.Arn}:*' });
  });

  test('leaves alone what an Fn::Sub string cannot hold, and what is no join', () => {
    const select = { 'Fn::Join': ['', ['arn:', PARTITION, ':identity/', { 'Fn::Select': [1, { 'Fn::Split': ['@', { Ref: 'From' }] }] }]] };
    expect(joinAsSub(select)).toBe(select);
    expect(joinAsSub('*')).toBe('*');
    expect(joinAsSub({ 'Fn::GetAtt': ['Logs', 'Arn'] })).toEqual({ 'Fn::GetAtt': ['Logs', 'Arn'] });
  });

  test.each([['a configuration set', SET_ARN], ['an escaped name with a parameter', ESCAPED_ARN], ['a log group', LOG_GROUP_ARN]])(
    '%s: CloudFormation resolves both to the same ARN', (_name, join) => {
      const r = resolver();
      expect(r.resolve(joinAsSub(join))).toBe(r.resolve(join));
    });
});

describe('the policy texts of an Fn::Sub', () => {
  test.each([['a configuration set', SET_ARN], ['an escaped name with a parameter', ESCAPED_ARN], ['a log group', LOG_GROUP_ARN]])(
    '%s: the same plain text and the same longest text as the join', (_name, join) => {
      const leaf = (intrinsic: Record<string, unknown>) => `<${JSON.stringify(intrinsic)}>`;
      expect(cfnText(joinAsSub(join), leaf)).toBe(cfnText(join, leaf));
      expect(longestText(joinAsSub(join))).toBe(longestText(join));
    });

  test.each([['a configuration set', SET_ARN], ['an escaped name with a parameter', ESCAPED_ARN], ['a log group', LOG_GROUP_ARN]])(
    '%s: nagText is the text cdk-nag writes, for the join and for the Fn::Sub', (_name, join) => {
      expect(nagText(join)).toBe(flattenCfnReference(join));
      expect(nagText(joinAsSub(join))).toBe(flattenCfnReference(joinAsSub(join)));
    });

  test('a variable of the Fn::Sub\'s own map is its value', () => {
    const sub = { 'Fn::Sub': ['${Prefix}/orders-${!x}', { Prefix: { 'Fn::Join': ['', ['arn:', PARTITION]] } }] };
    expect(cfnText(sub, (intrinsic) => `<${String(intrinsic.Ref)}>`)).toBe('arn:<AWS::Partition>/orders-${x}');
  });
});

describe('listAsSplit', () => {
  const setArn = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:configuration-set/${name}` });
  const sets = ['orders', 'marketing', 'receipts', 'alerts'].map(setArn);

  test('writes the common start of the items once, as a variable of one Fn::Sub, split on a comma', () => {
    expect(listAsSplit(sets)).toEqual({
      'Fn::Split': [',', {
        'Fn::Sub': ['${P}orders,${P}marketing,${P}receipts,${P}alerts', {
          P: { 'Fn::Sub': 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/' },
        }],
      }],
    });
  });

  test('CloudFormation resolves it to the same list, and it is shorter', () => {
    const r = resolver();
    expect(r.resolve(listAsSplit(sets))).toEqual(r.resolve(sets));
    expect(JSON.stringify(listAsSplit(sets), undefined, 1).length).toBeLessThan(JSON.stringify(sets, undefined, 1).length);
  });

  const long = `${'x'.repeat(60)}:`;
  test.each([
    ['inside a ${...}', [`${long}\${AWS::Region}:x`, `${long}\${AWS::AccountId}:x`, `${long}\${AWS::Region}:y`]],
    ['on a $ (before a ${...})', [`${long}$\${AWS::Region}:x`, `${long}$x`, `${long}$y`]],
  ])('never ends the common start %s', (_name, texts) => {
    const items = texts.map((text) => ({ 'Fn::Sub': text }));
    const split = listAsSplit(items) as any;
    expect(split['Fn::Split'][1]['Fn::Sub'][1]).toEqual({ P: long });
    const r = resolver();
    expect(r.resolve(split)).toEqual(r.resolve(items));
  });

  test('splits on a delimiter that no item holds', () => {
    const identities = ['"a,b"@example.com', 'c@example.com', 'd@example.com', 'e@example.com', 'f@example.com'].map((name) => `arn:aws:ses:eu-west-1:123456789012:identity/${name}`);
    const split = listAsSplit(identities) as any;
    expect(split['Fn::Split'][0]).toBe('|');
    expect(resolver().resolve(split)).toEqual(identities);
  });

  test.each([
    ['one item', [setArn('orders')]],
    ['a wildcard (cdk-nag reads an Fn::Split as its JSON)', [...sets, setArn('Mail-1a2b3c-*')]],
    ['an escape of a literal *', [...sets, { 'Fn::Sub': 'arn:${AWS::Partition}:ses:us-east-1:123456789012:identity/a${!*}b@example.com' }]],
    ['a parameter, whose value could hold the delimiter', [...sets, { 'Fn::Sub': 'arn:${AWS::Partition}:ses:us-east-1:123456789012:identity/${Domain}' }]],
    ['an intrinsic that is no Fn::Sub string', [...sets, { 'Fn::GetAtt': ['Logs', 'Arn'] }]],
    ['items too short to gain from it', ['a', 'b']],
  ])('leaves the list as it is with %s', (_name, items) => {
    expect(listAsSplit(items)).toBe(items);
  });
});
