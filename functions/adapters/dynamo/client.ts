import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../lib/config';
import { logSlowCallsOnLambda } from '../../lib/telemetry';

/** The single table and the one document client every DynamoDB adapter of a composition shares. */
export interface DynamoTable {
  readonly client: DynamoDBDocumentClient;
  readonly name: string;
}

export function dynamoTable(config: Pick<Config, 'region' | 'tableName' | 'dynamodbEndpoint'>): DynamoTable {
  const client = DynamoDBDocumentClient.from(
    logSlowCallsOnLambda(
      new DynamoDBClient({
        region: config.region,
        ...(config.dynamodbEndpoint
          ? {
              endpoint: config.dynamodbEndpoint,
              credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
            }
          : {}),
      }),
    ),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return { client, name: config.tableName };
}
