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
  appointmentChangeCutoffMinutes: Number(optionalEnv('APPOINTMENT_CHANGE_CUTOFF_MINUTES') ?? 120),
  reminderMinutesBefore: Number(optionalEnv('REMINDER_MINUTES_BEFORE') ?? 15),
  /** `outbox` stores texts for the local development page; `twilio` sends them. */
  smsProvider: (optionalEnv('SMS_PROVIDER') ?? 'outbox') as 'outbox' | 'twilio',
  /** Secrets Manager secret: {accountSid, authToken, fromNumber | messagingServiceSid, apiKeySid, apiKeySecret}. */
  twilioSecretArn: optionalEnv('TWILIO_SECRET_ARN'),
  /** `local` keeps reminders in the table for the local platform's scheduler loop. */
  reminderScheduler: (optionalEnv('REMINDER_SCHEDULER') ?? 'local') as 'local' | 'eventbridge',
  reminderTargetArn: optionalEnv('REMINDER_TARGET_ARN'),
  schedulerRoleArn: optionalEnv('SCHEDULER_ROLE_ARN'),
  scheduleGroup: optionalEnv('SCHEDULE_GROUP') ?? 'default',
  /** `p2p`: browser-to-browser WebRTC with our signaling; `twilio`: Twilio Video rooms. */
  videoProvider: (optionalEnv('VIDEO_PROVIDER') ?? 'p2p') as 'p2p' | 'twilio',
  /** JSON array of RTCIceServer for p2p calls; empty locally so media stays on loopback. */
  iceServers: JSON.parse(optionalEnv('ICE_SERVERS') ?? '[]') as {
    urls: string | string[];
    username?: string;
    credential?: string;
  }[],
  /** Fetch TURN credentials per call from Twilio's Network Traversal Service (p2p on AWS). */
  iceFromTwilio: optionalEnv('ICE_FROM_TWILIO') === 'true',
  /** The @connections endpoint of the WebSocket API. */
  wsManagementEndpoint: optionalEnv('WS_MANAGEMENT_ENDPOINT'),
} as const;
