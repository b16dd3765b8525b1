#!/usr/bin/env node
// The bin used to be this file; it is bin/wiregram.cjs now (a CommonJS entry starts faster). Kept so scripts
// that run `node packages/cli/bin/wiregram.js` still work.
import './wiregram.cjs';
