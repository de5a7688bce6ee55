import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { config } from '../lib/config';

let client: ApiGatewayManagementApiClient | undefined;

/** The @connections endpoint comes from config on AWS and locally alike. */
function managementClient(endpoint: string | undefined): ApiGatewayManagementApiClient {
  if (!endpoint) throw new Error('WS_MANAGEMENT_ENDPOINT is not configured');
  client ??= new ApiGatewayManagementApiClient({
    region: config.region,
    endpoint,
    ...(config.dynamodbEndpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return client;
}

/**
 * Sends one frame to one connection. Returns false when the connection is gone, after calling
 * `onGone` so the caller can forget it.
 */
export async function sendFrame(
  connectionId: string,
  frame: unknown,
  onGone: (connectionId: string) => Promise<void>,
  endpoint = config.wsManagementEndpoint,
): Promise<boolean> {
  try {
    await managementClient(endpoint).send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(frame) }),
    );
    return true;
  } catch (err) {
    if (err instanceof GoneException || (err as { name?: string }).name === 'GoneException') {
      await onGone(connectionId);
      return false;
    }
    throw err;
  }
}
