/** One unit of work: it starts once every node named in `after` is done. */
export interface DagNode {
  readonly key: string;
  /** Keys of the nodes that must be done before this one starts (keys not in the run are ignored). */
  readonly after: readonly string[];
}

/**
 * `done`: ran and succeeded; `failed`: ran and failed; `skipped`: not run because a node it waits for failed or was
 * skipped; `not-started`: not run because the run stopped at a failure (`stopOnFailure`).
 */
export type DagOutcome = 'done' | 'failed' | 'skipped' | 'not-started';

export interface DagOptions {
  /** Start nothing new after the first failure, as CloudFormation does during a create or an update. */
  readonly stopOnFailure: boolean;
}

/**
 * Runs every node as soon as the nodes it waits for are done, all ready nodes at once (as CloudFormation does; bound
 * the concurrency inside `run` if needed). Resolves when nothing runs any more; rejects, after the running nodes have
 * settled, if `run` threw.
 */
export async function runDag(
  nodes: readonly DagNode[],
  run: (key: string) => Promise<boolean>,
  options: DagOptions,
): Promise<Map<string, DagOutcome>> {
  const keys = new Set(nodes.map((n) => n.key));
  const waitsFor = new Map(nodes.map((n) => [n.key, n.after.filter((k) => keys.has(k) && k !== n.key)]));
  const outcome = new Map<string, DagOutcome>();
  const running = new Set<string>();
  let stopped = false;
  let thrown: { error: unknown } | undefined;

  return new Promise((resolve, reject) => {
    const pump = (): void => {
      let changed = true;
      while (changed) {
        changed = false;
        for (const { key } of nodes) {
          if (outcome.has(key) || running.has(key)) continue;
          const deps = waitsFor.get(key)!;
          if (deps.some((d) => outcome.has(d) && outcome.get(d) !== 'done')) {
            outcome.set(key, 'skipped');
            changed = true;
          } else if (!stopped && deps.every((d) => outcome.get(d) === 'done')) {
            start(key);
          }
        }
      }
      if (running.size > 0) return;
      for (const { key } of nodes) {
        if (!outcome.has(key)) outcome.set(key, 'not-started');
      }
      if (thrown) reject(thrown.error);
      else resolve(outcome);
    };
    const start = (key: string): void => {
      running.add(key);
      Promise.resolve().then(() => run(key)).then(
        (ok) => finish(key, ok),
        (error: unknown) => {
          thrown ??= { error };
          finish(key, false);
        },
      );
    };
    const finish = (key: string, ok: boolean): void => {
      running.delete(key);
      outcome.set(key, ok ? 'done' : 'failed');
      if (!ok && (options.stopOnFailure || thrown)) stopped = true;
      pump();
    };
    pump();
  });
}

/** A counting semaphore; `Infinity` means no bound. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`concurrency must be at least 1, got ${limit}`);
  }

  /** Waits for a slot; call the returned function to give it back. */
  public acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.active++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          this.waiting.shift()?.();
        });
      };
      if (this.active < this.limit) grant();
      else this.waiting.push(grant);
    });
  }
}
