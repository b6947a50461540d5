// The browser cost of signing: a sign-only bundle of @glassbox/sigv4 next to aws4fetch and the AWS SDK's
// signer, each built with plain esbuild (--bundle --platform=browser --minify --format=esm, no stubs,
// no plugins) and gzipped at level 9. Run: pnpm -s build && pnpm --filter @glassbox/bench bundle-size
import { gzipSync } from 'node:zlib';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

const bundles: [name: string, entry: string][] = [
  ['@glassbox/sigv4 (sign, pure-JS SHA-256 built in)', `export { sign } from '@glassbox/sigv4';`],
  ['aws4fetch (AwsV4Signer, WebCrypto)', `export { AwsV4Signer } from 'aws4fetch';`],
  [
    '@smithy/signature-v4 + @aws-crypto/sha256-js',
    `export { SignatureV4 } from '@smithy/signature-v4'; export { Sha256 } from '@aws-crypto/sha256-js';`,
  ],
];

console.log('| bundle | minified | minified + gzip -9 |');
console.log('|---|---:|---:|');
for (const [name, contents] of bundles) {
  const result = await build({
    stdin: { contents, resolveDir: here, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(`| ${name} | ${kb(code.length)} | ${kb(gzipSync(code, { level: 9 }).length)} |`);
}
