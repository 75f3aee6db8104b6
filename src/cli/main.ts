#!/usr/bin/env node
/** Entry point of the `capa` bin (package.json "bin"); the work is in run.ts. */
import { EXIT_FAILURE, errorLine } from './errors.js';
import { main } from './run.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${errorLine(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);
