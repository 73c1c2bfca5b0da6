#!/usr/bin/env node
// The `daicho-plugin` command (started through sdk/bin/daicho-plugin.js).
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
