#!/usr/bin/env node
// `pandoc --filter wiregram-pandoc`: pandoc runs a JSON filter as `FILTER FORMAT`, so this is
// `wiregram pandoc FORMAT` under a name pandoc (and Quarto's `filters:`) can be given on their own.
'use strict';
process.argv.splice(2, 0, 'pandoc');
require('./wiregram.cjs');
