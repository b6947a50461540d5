// The anchor for bench/main-job.ts: what a user would write with the AWS SDK instead of glassbox. The SDK
// reads the endpoint from AWS_ENDPOINT_URL_ECR and the credentials from the environment, as we do.
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

const client = new ECRClient({});
const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
const token = Buffer.from(authorizationData?.[0]?.authorizationToken ?? '', 'base64').toString('utf8');
process.stdout.write(`${token.slice(token.indexOf(':') + 1)}\n`);
client.destroy();
