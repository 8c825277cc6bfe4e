/** The CI subset: the seed and the number of histories that `npm test` runs (FUZZ_CI_SEQUENCES overrides it). */
export const CI_SEED = 16;
export const CI_SEQUENCES = Number(process.env.FUZZ_CI_SEQUENCES ?? 60);
