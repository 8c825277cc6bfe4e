/**
 * Synth-side tag validation (src/tags.ts): the rules themselves through `tagProblems`, then the messages synthesis
 * gives for the tags of a construct (the prop and `Tags.of` together).
 */
import { App, CfnParameter, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigurationSet, DedicatedIpPool, EmailIdentity, Identity } from '../src';
import { MAX_TAGS_PER_RESOURCE, tagProblems } from '../src/tags';

function manyTags(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`key-${i}`, `value-${i}`]));
}

describe('tagProblems', () => {
  test('no tags and ordinary tags are valid', () => {
    expect(tagProblems({})).toEqual([]);
    expect(tagProblems({ 'team': 'mail', 'cost center': '42', 'path/to=x+y-z_w.v:u': 'a b/c=d+e-f_g.h:i' })).toEqual([]);
  });

  test.each([48, 49])('%i tags are valid', (count) => {
    expect(tagProblems(manyTags(count))).toEqual([]);
  });

  test('50 tags are one too many: the 50th slot is the ownership tag that the handler adds', () => {
    expect(MAX_TAGS_PER_RESOURCE).toBe(49);
    expect(tagProblems(manyTags(50))).toEqual([
      'has 50 tags; a resource can have at most 49 (the API allows 50, and the 50th is the ownership tag "cdk-pinpoint-email:owner" that the handler adds)',
    ]);
  });

  test.each(['cdk-pinpoint-email:owner', 'cdk-pinpoint-email:', 'CDK-Pinpoint-Email:x'])('the key "%s" uses the prefix reserved for the handler', (key) => {
    expect(tagProblems({ [key]: 'v' })).toEqual([
      `tag key "${key}" uses the prefix "cdk-pinpoint-email:", reserved for the ownership tag that the handler adds`,
    ]);
  });

  test('a value or a key that merely contains cdk-pinpoint-email: is fine', () => {
    expect(tagProblems({ 'my-cdk-pinpoint-email:key': 'cdk-pinpoint-email:owner' })).toEqual([]);
  });

  test.each([
    ['1 character', 'k'],
    ['128 characters', 'k'.repeat(128)],
    ['128 accented letters', 'é'.repeat(128)],
    ['128 letters outside the BMP (counted as characters, not UTF-16 units)', '𝒜'.repeat(128)],
  ])('a key of %s is valid', (_what, key) => {
    expect(tagProblems({ [key]: 'v' })).toEqual([]);
  });

  test.each([
    ['0 characters', '', 0],
    ['129 characters', 'k'.repeat(129), 129],
    ['129 accented letters', 'é'.repeat(129), 129],
  ])('a key of %s is invalid', (_what, key, length) => {
    expect(tagProblems({ [key]: 'v' })).toEqual([`tag key "${key}" must be 1 to 128 characters (got ${length})`]);
  });

  test.each([
    ['empty', ''],
    ['256 characters', 'v'.repeat(256)],
    ['256 CJK letters', '漢'.repeat(256)],
  ])('a value that is %s is valid', (_what, value) => {
    expect(tagProblems({ key: value })).toEqual([]);
  });

  test('a value of 257 characters is invalid', () => {
    expect(tagProblems({ key: 'v'.repeat(257) })).toEqual(['the value of tag "key" must be at most 256 characters (got 257)']);
  });

  test.each([
    ['letters of any script', 'Ünïcødé 漢字 Ελληνικά'],
    ['digits', '0123456789٣'],
    ['spaces (\\p{Z}, the no-break space included)', 'a b\u00a0c'],
    ['the symbols _ . : / = + -', '_.:/=+-'],
    ['@, which the AWS-wide tag rules allow (an address as a value)', 'team@corp.com'],
  ])('%s are allowed in keys and values', (_what, text) => {
    expect(tagProblems({ [text]: text })).toEqual([]);
  });

  test.each(['#', '*', '!', '<', '"', '\\', ',', ';', '😀', '\t', '\n'])('"%s" is not allowed in keys or values', (character) => {
    expect(tagProblems({ [`a${character}b`]: 'ok' })).toEqual([
      `tag key "a${character}b" may contain only letters, digits, spaces and _ . : / = + - @`,
    ]);
    expect(tagProblems({ key: `a${character}b` })).toEqual([
      'the value of tag "key" may contain only letters, digits, spaces and _ . : / = + - @',
    ]);
  });

  test.each(['aws:', 'aws:cloudformation:stack-name', 'AWS:Owner', 'Aws:x'])('the key "%s" uses the reserved prefix', (key) => {
    expect(tagProblems({ [key]: 'v' })).toEqual([`tag key "${key}" uses the reserved prefix "aws:"`]);
  });

  test.each(['aws:managed', 'AWS:x'])('the value "%s" uses the reserved prefix (the API reserves aws: in values too)', (value) => {
    expect(tagProblems({ key: value })).toEqual(['the value of tag "key" uses the reserved prefix "aws:"']);
  });

  test('keys and values that merely contain aws are fine', () => {
    expect(tagProblems({ 'awsx': 'v', 'my-aws:key': 'my aws: value', 'aws': 'aws' })).toEqual([]);
  });

  test('every problem is reported', () => {
    expect(tagProblems({ 'aws:bad#': 'v'.repeat(300) })).toEqual([
      'tag key "aws:bad#" uses the reserved prefix "aws:"',
      'tag key "aws:bad#" may contain only letters, digits, spaces and _ . : / = + - @',
      'the value of tag "aws:bad#" must be at most 256 characters (got 300)',
    ]);
  });
});

describe('tag validation at synthesis', () => {
  function stackWith(tags: Record<string, string>, aspectTags: Record<string, string> = {}): Stack {
    const stack = new Stack(new App(), 'Demo');
    new ConfigurationSet(stack, 'Mail', { tags });
    for (const [key, value] of Object.entries(aspectTags)) Tags.of(stack).add(key, value);
    return stack;
  }

  function synth(stack: Stack): () => void {
    return () => Template.fromStack(stack);
  }

  test('48 prop tags and 1 from Tags.of are 49: valid', () => {
    expect(synth(stackWith(manyTags(48), { app: 'demo' }))).not.toThrow();
  });

  test('49 prop tags and 1 from Tags.of are 50: synthesis fails, naming the path, the prop and the ownership tag', () => {
    expect(synth(stackWith(manyTags(49), { app: 'demo' })))
      .toThrow(/Validation failed[\s\S]*\[Demo\/Mail\] tags: has 50 tags; a resource can have at most 49 \(the API allows 50, and the 50th is the ownership tag/);
  });

  test('Tags.of(app) with an address as the value is accepted on every construct', () => {
    const app = new App();
    const stack = new Stack(app, 'Demo');
    new ConfigurationSet(stack, 'Mail');
    new DedicatedIpPool(stack, 'Pool');
    new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
    Tags.of(app).add('owner', 'team@corp.com');
    expect(synth(stack)).not.toThrow();
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('team@corp.com');
  });

  test('a key with the handler\'s prefix from Tags.of is reported on the configuration set', () => {
    expect(synth(stackWith({}, { 'cdk-pinpoint-email:owner': 'mine' })))
      .toThrow(/\[Demo\/Mail\] tags: tag key "cdk-pinpoint-email:owner" uses the prefix "cdk-pinpoint-email:"/);
  });

  test('an invalid key from Tags.of is reported on the configuration set', () => {
    expect(synth(stackWith({}, { 'aws:owner': 'me' }))).toThrow(/\[Demo\/Mail\] tags: tag key "aws:owner" uses the reserved prefix/);
  });

  test('a 129-character key and a 257-character value from the prop are each reported', () => {
    const stack = stackWith({ ['k'.repeat(129)]: 'v', ['ok']: 'v'.repeat(257) });
    expect(synth(stack)).toThrow(/\[Demo\/Mail\] tags: tag key "k{129}" must be 1 to 128 characters \(got 129\)[\s\S]*\[Demo\/Mail\] tags: the value of tag "ok" must be at most 256 characters \(got 257\)/);
  });

  test('a 128-character key and a 256-character value are valid', () => {
    expect(synth(stackWith({ ['k'.repeat(128)]: 'v'.repeat(256) }))).not.toThrow();
  });

  test('unresolved tokens in keys and values are not validated, and still count towards the limit', () => {
    const stack = new Stack(new App(), 'Demo');
    const value = new CfnParameter(stack, 'Value').valueAsString;
    const key = new CfnParameter(stack, 'Key').valueAsString;
    new ConfigurationSet(stack, 'Mail', { tags: { team: value } });
    Tags.of(stack).add(key, 'x');
    expect(synth(stack)).not.toThrow();

    const full = new Stack(new App(), 'Demo');
    const tokenValue = new CfnParameter(full, 'Value').valueAsString;
    new ConfigurationSet(full, 'Mail', { tags: { ...manyTags(49), extra: tokenValue } });
    expect(synth(full)).toThrow(/\[Demo\/Mail\] tags: has 50 tags/);
  });
});
