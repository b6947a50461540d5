#!/usr/bin/env node
/**
 * docker-credential-glassbox: Docker's credential helper for Amazon ECR. All behaviour lives in
 * @glassbox/docker-config `runCredentialHelper`; this file only connects it to the process. It imports
 * the `credential-helper` entry point rather than the package index so that a warm `get` (Docker runs
 * one per pull and push) loads as few modules as possible.
 */
import { runCredentialHelper } from '@glassbox/docker-config/credential-helper';

process.exitCode = await runCredentialHelper({
  argv: process.argv.slice(2),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
