/**
 * Limits of CloudFormation and of the API that the model follows (docs/model-based-testing.md, "Limits"): a history
 * that meets one is still checked in full against the model, and the run counts how often each was met.
 */
export const LIMITS = {
  lostResponse: 'a Create or replacing Update whose response never reached CloudFormation leaves what it created',
  takeBackTags: 'a take-back by a rename, or by the rollback of one, keeps only the declared tags (and aws: ones)',
  takeBackRolledBack: 'a leftover taken back by a rename whose deploy then failed keeps the declared state the take-back gave it',
  killedDashboard: 'a dashboard create killed after it enabled the dashboard is retried, finds it enabled, and leaves it enabled',
  lostSetHoldsPool: 'a set left by a lost Create sends from a pool the rollback deletes: the API refuses, the rollback fails',
  ipBackIntoManagedPool: 'a dedicated IP cannot go back into a pool that became MANAGED (the API refuses it): a rollback fails (UPDATE_ROLLBACK_FAILED); a cleanup (after a failed or a successful deploy) leaves the IP and its new pool; the stack\'s deletion fails there (DELETE_FAILED), and leaves them too',
  ipOriginLost: 'a dedicated IP create killed after its move is retried, finds the IP in its pool, and records the default pool as where it came from',
  tagSlots: 'the declared tags, the ownership tag and someone else\'s tags do not fit in 50: the deploy fails',
  sesV2OptionsKept: 'options that only SES v2 has, left by a deploy or a rollback on Pinpoint Email, stay until a Put of their group runs',
  managedPoolRollback: 'a rollback that must put STANDARD back on a MANAGED pool fails (the API refuses it): UPDATE_ROLLBACK_FAILED',
  retakenDestinationRolledBack: 'a leftover event destination declared again is taken as its own; a rollback of that deploy deletes it',
  retakenDestinationKept: 'a leftover event destination taken as its own by a deploy that failed, and kept by its rollback (RETAIN), keeps the declared definition the take gave it',
  killedSettings: 'an account settings create killed after a Put is retried and records the value put as the one found',
  killedDestinationOnImportedSet: 'an event destination create on an imported set run again after its create succeeded (Lambda\'s retry of a killed invocation) meets the destination and fails (the set carries no marker of this stack): the destination stays',
} as const;

export type Limit = typeof LIMITS[keyof typeof LIMITS];

/** What the AWS-wide tag rules allow on one resource. */
export const MAX_TAGS = 50;
