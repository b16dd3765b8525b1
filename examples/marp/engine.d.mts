// Types for engine.mjs (Marp CLI loads engines as plain JavaScript).
import type { Marp } from '@marp-team/marp-core';
declare const engine: (options: { marp: Marp }) => Marp;
export default engine;
