#!/usr/bin/env node
/**
 * docker-credential-glassbox: Docker's credential helper for Amazon ECR. All behaviour lives in
 * @glassbox/docker-config `runCredentialHelper`; this file only connects it to the process.
 */
import { runCredentialHelper } from '@glassbox/docker-config';

process.exitCode = await runCredentialHelper({
  argv: process.argv.slice(2),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
