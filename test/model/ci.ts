/**
 * The CI subset: the seed and the number of histories that `npm test` runs (FUZZ_CI_SEQUENCES overrides it), within a
 * time budget (a slower machine runs fewer of the same histories).
 */
export const CI_SEED = 16;
export const CI_SEQUENCES = Number(process.env.FUZZ_CI_SEQUENCES ?? 200);
export const CI_TIME_LIMIT_MS = 60_000;
