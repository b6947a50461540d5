import type { Settings } from './explain.ts';

/** A request the page can load, with the settings it needs (the rest stay as they are). */
export interface Example {
  id: string;
  label: string;
  text: string;
  settings: Partial<Settings>;
}

/** The page's examples: one per lesson (query sorting, a body, ECR, S3's single encoding). */
export const EXAMPLES: readonly Example[] = [
  {
    id: 'query',
    label: 'GET with a query to sort (test-suite style)',
    text: 'GET /?Param2=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z',
    settings: { service: 'service', region: 'us-east-1', s3: false, contentSha256Header: false, unsignedPayload: false },
  },
  {
    id: 'form',
    label: 'POST with a form body',
    text: 'POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n\nParam1=value1',
    settings: { service: 'service', region: 'us-east-1', s3: false, contentSha256Header: false, unsignedPayload: false },
  },
  {
    id: 'ecr',
    label: 'ECR GetAuthorizationToken (what docker login starts with)',
    text: 'POST / HTTP/1.1\nHost:api.ecr.us-east-1.amazonaws.com\nContent-Type:application/x-amz-json-1.1\nX-Amz-Target:AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken\nUser-Agent:glassbox\n\n{}',
    settings: { service: 'ecr', region: 'us-east-1', s3: false, contentSha256Header: false, unsignedPayload: false },
  },
  {
    id: 's3',
    label: 'S3 GET of a key with a space (encoded once)',
    text: 'GET /my%20photos/cat.jpg HTTP/1.1\nHost:examplebucket.s3.amazonaws.com\nRange:bytes=0-9',
    settings: { service: 's3', region: 'us-east-1', s3: true, contentSha256Header: true, unsignedPayload: false },
  },
];

/** The compare mode's starting pair: a client library appended a charset after signing. */
export const COMPARE_EXAMPLE = {
  a: 'POST / HTTP/1.1\nHost:api.ecr.us-east-1.amazonaws.com\nContent-Type:application/x-amz-json-1.1\nX-Amz-Date:20150830T123600Z\nX-Amz-Target:AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken\n\n{}',
  b: 'POST / HTTP/1.1\nHost:api.ecr.us-east-1.amazonaws.com\nContent-Type:application/x-amz-json-1.1; charset=utf-8\nX-Amz-Date:20150830T123600Z\nX-Amz-Target:AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken\n\n{}',
} as const;
