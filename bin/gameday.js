#!/usr/bin/env node
// The `gameday` command: registers tsx so the TypeScript sources run as they are, then runs the CLI.
'use strict';
require('tsx/cjs');
const { run } = require('../cli/main.ts');

run(process.argv).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`gameday: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
