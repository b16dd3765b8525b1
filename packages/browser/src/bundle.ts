/**
 * Entry of the two browser bundles (dist/wiregram.min.js as an ES module, dist/wiregram.iife.min.js as a
 * classic script defining `window.wiregram`): the API, with `<wire-gram>` registered on load.
 */
import { defineElement } from './index.js';

export * from './index.js';

defineElement();
