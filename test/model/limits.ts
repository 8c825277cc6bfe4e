/**
 * Limits of CloudFormation and of the API that the model follows (docs/model-based-testing.md, "Limits"): a history
 * that meets one is still checked in full against the model, and the run counts how often each was met.
 */
export const LIMITS = {
  lostResponse: 'a Create or replacing Update whose response never reached CloudFormation leaves what it created',
  takeBackTags: 'a take-back by a rename, or by the rollback of one, keeps only the declared tags (and aws: ones)',
  takeBackRolledBack: 'a leftover taken back by a rename whose deploy then failed keeps the declared state the take-back gave it',
  killedDashboard: 'a dashboard create killed after it enabled the dashboard is retried, finds it enabled, and leaves it enabled',
  ipOriginLost: 'a dedicated IP create killed after its move is retried, finds the IP in its pool, and records the default pool as where it came from',
  poolOfLostSet: 'a set whose create response was lost uses a pool the failed first deploy created: the rollback cannot delete the pool and fails; only the deletion proceeds',
  tagSlots: 'the declared tags, the ownership tag and someone else\'s tags do not fit in 50: the deploy fails',
} as const;

export type Limit = typeof LIMITS[keyof typeof LIMITS];

/** What the AWS-wide tag rules allow on one resource. */
export const MAX_TAGS = 50;
