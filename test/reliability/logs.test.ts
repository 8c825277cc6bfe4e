/**
 * The handler's logs over a full lifecycle of all four kinds (create, update, a failed update and its rollback,
 * delete) never contain the ResponseURL, the raw event, property values such as tag values or message content, or the
 * credentials it runs with. The driver captures what the handler writes to the console during each event.
 */
import { reliabilityHarness, SECRET_ACCESS_KEY, SESSION_TOKEN } from './harness';
import { fourResources, seedSender } from './stacks';

const h = reliabilityHarness();

/** Property values that must never be logged: tag keys and values, a tracking domain, the test's subject. */
const SECRETS = {
  tagKey: 'tagKeyNeverLogged',
  tagValue: 'tagValueNeverLogged',
  newTagValue: 'changedTagValueNeverLogged',
  domain: 'links-never-logged.example.com',
  subject: 'SubjectNeverLogged',
};

test('a full lifecycle logs what happened, and no ResponseURL, event, property value or credential', async () => {
  // The handler runs with these credentials, so their absence from the logs below means something.
  expect(h.handlerEnv()).toMatchObject({ AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN });
  seedSender(h.state());
  const names = { set: 'logged-set', pool: 'logged-pool', identity: 'logged.example.com', subject: SECRETS.subject };
  const results = [
    await h.deployApp(fourResources(names, { [SECRETS.tagKey]: SECRETS.tagValue }, { customTrackingRedirectDomain: SECRETS.domain })),
    await h.deployApp(fourResources(names, { [SECRETS.tagKey]: SECRETS.newTagValue })),
  ];
  h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected failure.');
  results.push(await h.deployApp(fourResources(names, { [SECRETS.tagKey]: SECRETS.tagValue })));
  results.push(await h.destroy());
  expect(results.map((r) => r.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'DELETE_COMPLETE']);

  const events = results.flatMap((r) => r.events);
  expect(events.length).toBeGreaterThanOrEqual(14);
  for (const event of events) {
    const text = event.logs.join('\n');
    // What is logged: one JSON line per entry, with the request, each API call and the response.
    for (const line of event.logs) expect(() => JSON.parse(line)).not.toThrow();
    expect(text).toContain(`"requestType":"${event.requestType}"`);
    expect(text).toContain(`"logicalId":"${event.logicalId}"`);
    expect(text).toContain('"message":"response"');

    // What is not.
    const url = new URL(event.request.ResponseURL);
    for (const forbidden of [
      event.request.ResponseURL, url.pathname, url.search, 'X-Amz-Signature', 'ResponseURL',
      'ResourceProperties', 'OldResourceProperties', 'ServiceToken', event.request.StackId, event.request.RequestId,
      ...Object.values(SECRETS), SECRET_ACCESS_KEY, SESSION_TOKEN,
    ]) {
      expect(text).not.toContain(forbidden);
    }
  }
  // The failed update was logged with its reason (which names the resource, not its properties).
  expect(events.some((e) => e.logs.some((line) => line.includes('"status":"FAILED"') && line.includes('Injected failure.')))).toBe(true);
}, 30_000);
