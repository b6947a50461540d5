// `pnpm explainer`: builds the page and serves it on 127.0.0.1 only (PORT, default 4319; 0 picks a
// free port). The page needs no server — this is for convenience and for the browser test.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildExplainer, defaultOutFile } from './build.ts';

/** Serves the built page at `/` and `/index.html` on 127.0.0.1; resolves with the server and its URL. */
export async function serveExplainer(port = 4319, file: string = defaultOutFile): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/' && path !== '/index.html') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const html = readFileSync(file); // read per request, so a rebuild shows on reload
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${actual}/` };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildExplainer();
  const port = process.env.PORT === undefined ? 4319 : Number(process.env.PORT);
  const { url } = await serveExplainer(port);
  console.log(`SigV4 explainer at ${url} (Ctrl-C to stop)`);
}
