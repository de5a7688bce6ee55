/** Every environment variable a handler reads, read once at module load. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing required environment variable ${name}`);
  return value;
}

function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

export const config = {
  region: process.env.AWS_REGION ?? 'us-east-1',
  tableName: requireEnv('TABLE_NAME'),
  userPoolId: requireEnv('USER_POOL_ID'),
  userPoolClientId: requireEnv('USER_POOL_CLIENT_ID'),
  /** Comma-separated origins allowed by CORS (the CloudFront domain on AWS). */
  allowedOrigins: (optionalEnv('ALLOWED_ORIGINS') ?? '').split(',').filter(Boolean),
  /** Local platform only: where dynalite and cognito-local listen. Never set on AWS. */
  dynamodbEndpoint: optionalEnv('DYNAMODB_ENDPOINT'),
  cognitoLocalEndpoint: optionalEnv('COGNITO_LOCAL_ENDPOINT'),
  /** The @connections endpoint of the WebSocket API. */
  wsManagementEndpoint: optionalEnv('WS_MANAGEMENT_ENDPOINT'),
} as const;
