#!/usr/bin/env node
// The `glassbox` command. All the work is in main(); this file only binds it to the process.
import { main, processIo } from '../program.ts';

process.exitCode = await main(process.argv.slice(2), processIo());
