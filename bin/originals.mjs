#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx originals` works straight from the repository.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
