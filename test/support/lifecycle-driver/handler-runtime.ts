import { AsyncLocalStorage } from 'async_hooks';
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { format } from 'util';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';

/** The entry point the handler asset exports. */
export type CustomResourceHandler = (event: CloudFormationCustomResourceEvent, context: Context) => unknown;

/**
 * Evaluates a CommonJS file as a new module instance and returns its `handler` export.
 *
 * The file is compiled with `new Function` in the caller's realm rather than with `require`: every call gives a fresh
 * instance (module-level state such as SDK clients is not shared between drivers), and under jest the handler sees the
 * same `process.env` as the test (jest gives each test file its own copy, which a `vm` evaluation would bypass).
 * Its own `require` resolves relative to the file, for Node's built-in modules and anything next to it.
 */
export function loadHandler(file: string): CustomResourceHandler {
  if (!fs.existsSync(file)) {
    throw new Error(`handler asset not found: ${file} (build it with \`npx projen bundle\`, or pass handlerPath)`);
  }
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const module = { exports: {} as Record<string, unknown>, id: file, filename: file, loaded: false };
  const wrapper = new Function('exports', 'require', 'module', '__filename', '__dirname', `${source}\n//# sourceURL=${pathToFileURL(file).href}`);
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  const handler = (module.exports as { handler?: unknown }).handler;
  if (typeof handler !== 'function') throw new Error(`${file} does not export a function named "handler"`);
  return handler as CustomResourceHandler;
}

/** Environment variables to set during an invocation; `undefined` unsets a variable. */
export type EnvVars = Readonly<Record<string, string | undefined>>;

let activeEnv: { readonly vars: EnvVars; readonly saved: Record<string, string | undefined>; holders: number } | undefined;

/**
 * Sets `vars` on `process.env` until the returned function is called. Concurrent invocations with the same variables
 * share one lease (the variables are restored when the last one ends); a concurrent lease with other values throws,
 * because one process has one environment.
 */
export function leaseEnv(vars: EnvVars): () => void {
  if (activeEnv && !sameVars(activeEnv.vars, vars)) {
    throw new Error('two lifecycle drivers with different env invoke their handlers at the same time; run them one after the other');
  }
  if (!activeEnv) {
    const saved: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(vars)) {
      saved[name] = process.env[name];
      setVar(name, value);
    }
    activeEnv = { vars, saved, holders: 0 };
  }
  const lease = activeEnv;
  lease.holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    lease.holders--;
    if (lease.holders === 0 && activeEnv === lease) {
      for (const [name, value] of Object.entries(lease.saved)) setVar(name, value);
      activeEnv = undefined;
    }
  };
}

function setVar(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function sameVars(a: EnvVars, b: EnvVars): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** A Lambda context for one invocation of `functionArn` whose remaining time counts down from `timeoutMs`. */
export function lambdaContext(functionArn: string, timeoutMs: number): Context {
  const functionName = functionArn.split(':')[6] ?? 'handler';
  const deadline = Date.now() + timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const unsupported = (name: string) => (): never => {
    throw new Error(`context.${name}() is not supported by the lifecycle driver: return a promise from the handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const logScope = new AsyncLocalStorage<string[]>();
let consolePatch: { holders: number; readonly restore: () => void } | undefined;

/**
 * Runs `fn` with every `console` call made in its asynchronous context (the handler's, however many run at once)
 * appended to `into` instead of printed. Calls from elsewhere still print.
 */
export async function captureConsole<T>(into: string[], fn: () => Promise<T>): Promise<T> {
  if (!consolePatch) {
    const target = console as unknown as Record<string, (...args: unknown[]) => void>;
    const saved = CONSOLE_METHODS.map((name) => ({ name, own: Object.hasOwn(target, name), original: target[name] }));
    for (const { name, original } of saved) {
      target[name] = (...args: unknown[]): void => {
        const buffer = logScope.getStore();
        if (buffer) buffer.push(format(...args));
        else original.apply(console, args);
      };
    }
    consolePatch = {
      holders: 0,
      restore: () => {
        for (const { name, own, original } of saved) {
          if (own) target[name] = original;
          else delete target[name];
        }
      },
    };
  }
  const patch = consolePatch;
  patch.holders++;
  try {
    return await logScope.run(into, fn);
  } finally {
    patch.holders--;
    if (patch.holders === 0 && consolePatch === patch) {
      patch.restore();
      consolePatch = undefined;
    }
  }
}
