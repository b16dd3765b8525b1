// The Marp engine of docs/recipes/marp.md (as examples/marp/engine.mjs): `marp --engine ./engine.mjs good.md`.
import { wiregramEngine } from '@wiregram/marp';

export default wiregramEngine();
