/** The fuzzer's fast clock: waits cost no real time, and a request in flight is never overtaken by a jump. */
import * as http from 'http';
import { AddressInfo } from 'net';
import { performance } from 'perf_hooks';
import { FastClock } from './support/fast-clock';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let clock: FastClock | undefined;
afterEach(() => {
  clock?.uninstall();
  clock = undefined;
});

test('a timer with nothing else to wait for fires at once, on the virtual clock', async () => {
  clock = FastClock.install();
  const virtualStart = Date.now();
  const realStart = performance.now();
  await delay(60_000);
  expect(Date.now() - virtualStart).toBeGreaterThanOrEqual(60_000);
  expect(performance.now() - realStart).toBeLessThan(1_000);
});

test('while an HTTP request is in flight, the clock does not jump to the next timer', async () => {
  const server = http.createServer((_req, res) => {
    // 300 virtual ms, then the answer: far from the test's 60 s timer, unless the clock jumps while the answer is on
    // its way.
    void delay(300).then(() => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    clock = FastClock.install();
    let timerFired = false;
    const timer = setTimeout(() => {
      timerFired = true;
    }, 60_000);
    const virtualStart = Date.now();
    await new Promise<void>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject);
    });
    expect(timerFired).toBe(false);
    expect(Date.now() - virtualStart).toBeLessThan(60_000);
    clearTimeout(timer);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
