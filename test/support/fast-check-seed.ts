/**
 * The default test run (and CI) draws the same property-test inputs every time, so a red run always means a
 * change and can be reproduced; `pnpm fuzz` (WIREGRAM_FUZZ=1) explores fresh random inputs and prints its seed.
 * `FC_SEED=<n>` replays any run.
 */
import fc from 'fast-check';
import { FUZZ } from './fuzz.js';

const fixed = 20261207;
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : FUZZ ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : fixed;
if (FUZZ && !process.env.FC_SEED) console.log(`fast-check seed ${seed} (replay with FC_SEED=${seed})`);
fc.configureGlobal({ seed });
