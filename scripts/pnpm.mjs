#!/usr/bin/env node
// Runs the pnpm version pinned in package.json's `packageManager`, so that a
// machine with only Node and npm can run `npm start` / `npm test`.
// Corepack would be the natural tool, but older corepack releases fail to
// verify newer pnpm signatures; npx fetches the same pinned version from the
// npm registry and checks its integrity.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);

const run = (command, commandArgs) =>
  spawnSync(command, commandArgs, { stdio: 'inherit', cwd: process.cwd(), shell: process.platform === 'win32' });

const npx = run('npx', ['--yes', packageManager, ...args]);
process.exit(npx.status ?? 1);
