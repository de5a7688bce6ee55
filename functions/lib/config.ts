/**
 * Every setting a handler needs, validated by `loadConfig`. In Lambda it runs once at module load
 * (cold start, see adapters/wiring/lambda.ts) on `process.env`, so a missing or malformed setting
 * stops the function there, naming the variable; nothing falls back to a local stand-in. The local
 * platform passes the same settings as a plain object (SMS_PROVIDER=outbox, …), never through
 * `process.env`. Nothing here is evaluated at import.
 */
import * as v from 'valibot';
import { DEFAULT_NO_SHOW_GRACE_MINUTES } from '../../shared/rescue';
import { isValidTimeZone } from '../../shared/zoned-time';

const Required = (name: string) => v.pipe(v.string(`${name} is required`), v.nonEmpty(`${name} is required`));
const Optional = v.optional(v.pipe(v.string(), v.nonEmpty()));
const Choice = <const T extends readonly [string, ...string[]]>(name: string, options: T) =>
  v.picklist(options, `${name} must be one of ${options.join(', ')}`);
const Minutes = (name: string, fallback: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.regex(/^\d{1,5}$/, `${name} must be a whole number of minutes`),
    v.transform(Number),
  );
const Count = (name: string, fallback: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.regex(/^[1-9]\d{0,5}$/, `${name} must be a positive whole number`),
    v.transform(Number),
  );
/** A Twilio credential or public-key resource SID (CR…). */
const CredentialSid = (name: string) =>
  v.optional(v.pipe(v.string(), v.regex(/^CR[0-9a-fA-F]{32}$/, `${name} must be a Twilio CR… SID`)));
const IceServers = v.pipe(
  v.optional(v.string(), '[]'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return JSON.parse(dataset.value) as unknown;
    } catch {
      addIssue({ message: 'ICE_SERVERS must be a JSON array of RTCIceServer' });
      return NEVER;
    }
  }),
  v.array(
    v.object({
      urls: v.union([v.string(), v.array(v.string())]),
      username: v.optional(v.string()),
      credential: v.optional(v.string()),
    }),
    'ICE_SERVERS must be a JSON array of RTCIceServer',
  ),
);

const Environment = v.pipe(
  v.object({
    AWS_REGION: Required('AWS_REGION'),
    TABLE_NAME: Required('TABLE_NAME'),
    // Set on every function but the user-pool triggers: a pool that names its trigger function
    // cannot also be named in that function's environment (a CloudFormation cycle). Whatever
    // needs them asks `userPoolOf`, which fails the cold start naming the missing one.
    USER_POOL_ID: Optional,
    USER_POOL_CLIENT_ID: Optional,
    ALLOWED_ORIGINS: v.optional(v.string(), ''),
    // The practice's name, as texts sign off (practice/practice.json; the stack and the local
    // platform set it from the same file).
    PRACTICE_NAME: v.pipe(
      Required('PRACTICE_NAME'),
      v.maxLength(60, 'PRACTICE_NAME must be at most 60 characters'),
    ),
    // practice.json's `timeZone` and `noShowGraceMinutes` (set from the same file as PRACTICE_NAME).
    PRACTICE_TIME_ZONE: v.optional(
      v.pipe(v.string(), v.check(isValidTimeZone, 'PRACTICE_TIME_ZONE must be an IANA time zone')),
      'UTC',
    ),
    NO_SHOW_GRACE_MINUTES: Minutes('NO_SHOW_GRACE_MINUTES', DEFAULT_NO_SHOW_GRACE_MINUTES),
    DYNAMODB_ENDPOINT: Optional,
    COGNITO_LOCAL_ENDPOINT: Optional,
    APPOINTMENT_CHANGE_CUTOFF_MINUTES: Minutes('APPOINTMENT_CHANGE_CUTOFF_MINUTES', 120),
    APPOINTMENT_MIN_NOTICE_MINUTES: Minutes('APPOINTMENT_MIN_NOTICE_MINUTES', 60),
    REMINDER_MINUTES_BEFORE: Minutes('REMINDER_MINUTES_BEFORE', 15),
    MAX_UPCOMING_APPOINTMENTS: Count('MAX_UPCOMING_APPOINTMENTS', 3),
    BOOKINGS_PER_MINUTE: Count('BOOKINGS_PER_MINUTE', 10),
    SIGNUPS_PER_HOUR_PER_IP: Count('SIGNUPS_PER_HOUR_PER_IP', 20),
    SMS_PROVIDER: Choice('SMS_PROVIDER', ['outbox', 'twilio']),
    TWILIO_SECRET_ARN: Optional,
    REMINDER_SCHEDULER: Choice('REMINDER_SCHEDULER', ['local', 'eventbridge']),
    REMINDER_TARGET_ARN: Optional,
    SCHEDULER_ROLE_ARN: Optional,
    SCHEDULE_GROUP: Optional,
    REMINDER_DLQ_ARN: Optional,
    TEXT_QUEUE_URL: Optional,
    VIDEO_PROVIDER: Choice('VIDEO_PROVIDER', ['p2p', 'twilio']),
    ICE_SERVERS: IceServers,
    ICE_FROM_TWILIO: v.optional(Choice('ICE_FROM_TWILIO', ['true', 'false']), 'false'),
    WS_MANAGEMENT_ENDPOINT: Optional,
    PUBLIC_API_URL: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'PUBLIC_API_URL must be an http(s) URL without query'),
      ),
    ),
    RECORDING: v.optional(Choice('RECORDING', ['off', 'on']), 'off'),
    RECORDING_AWS_CREDENTIALS_SID: CredentialSid('RECORDING_AWS_CREDENTIALS_SID'),
    RECORDING_S3_URL: v.optional(
      v.pipe(v.string(), v.regex(/^https:\/\/\S+$/, 'RECORDING_S3_URL must be an https:// URL')),
    ),
    RECORDING_ENCRYPTION_KEY_SID: CredentialSid('RECORDING_ENCRYPTION_KEY_SID'),
  }),
  v.check(
    (e) =>
      !!e.TWILIO_SECRET_ARN ||
      (e.SMS_PROVIDER !== 'twilio' && e.VIDEO_PROVIDER !== 'twilio' && e.ICE_FROM_TWILIO !== 'true'),
    'TWILIO_SECRET_ARN is required when SMS_PROVIDER, VIDEO_PROVIDER or ICE_FROM_TWILIO uses Twilio',
  ),
  v.check(
    (e) => e.RECORDING === 'off' || e.VIDEO_PROVIDER === 'twilio',
    'RECORDING=on needs VIDEO_PROVIDER=twilio (peer-to-peer calls are never recorded)',
  ),
  v.check(
    (e) =>
      e.RECORDING === 'off' ||
      !!e.RECORDING_ENCRYPTION_KEY_SID ||
      (!!e.RECORDING_AWS_CREDENTIALS_SID && !!e.RECORDING_S3_URL),
    'RECORDING=on needs safe storage: RECORDING_AWS_CREDENTIALS_SID with RECORDING_S3_URL, or RECORDING_ENCRYPTION_KEY_SID',
  ),
);

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  // An empty variable counts as unset, as in the Lambda console.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = v.safeParse(Environment, present);
  if (!result.success) {
    const problems = [
      ...new Set(
        result.issues.map((issue) => {
          const name = issue.path?.[0]?.key;
          return issue.input === undefined && typeof name === 'string'
            ? `${name} is required`
            : issue.message;
        }),
      ),
    ];
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = result.output;
  return {
    region: e.AWS_REGION,
    tableName: e.TABLE_NAME,
    /** The practice texts name (practice.json's `name`). */
    practiceName: e.PRACTICE_NAME,
    /** The practice's zone: weeks of the no-show rates run Monday to Sunday there. */
    practiceTimeZone: e.PRACTICE_TIME_ZONE,
    /** Minutes after a visit's start before the doctor may mark a no-show. */
    noShowGraceMinutes: e.NO_SHOW_GRACE_MINUTES,
    userPoolId: e.USER_POOL_ID,
    userPoolClientId: e.USER_POOL_CLIENT_ID,
    /** Comma-separated origins allowed by CORS (the CloudFront domain on AWS). */
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').filter(Boolean),
    /** Local platform only: where DynamoDB Local and cognito-local listen. Never set on AWS. */
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    cognitoLocalEndpoint: e.COGNITO_LOCAL_ENDPOINT,
    appointmentChangeCutoffMinutes: e.APPOINTMENT_CHANGE_CUTOFF_MINUTES,
    /** The practice's minimum booking notice; a doctor may set their own. */
    appointmentMinNoticeMinutes: e.APPOINTMENT_MIN_NOTICE_MINUTES,
    reminderMinutesBefore: e.REMINDER_MINUTES_BEFORE,
    /** Upcoming (booked or checked-in) appointments one patient may hold at once. */
    maxUpcomingAppointments: e.MAX_UPCOMING_APPOINTMENTS,
    /** Booking requests one patient may send per minute (beyond: 429 with Retry-After). */
    bookingsPerMinute: e.BOOKINGS_PER_MINUTE,
    /** Sign-ups one client address may send per hour (beyond: 429 with Retry-After). */
    signupsPerHourPerIp: e.SIGNUPS_PER_HOUR_PER_IP,
    /** `twilio` sends texts; `outbox` stores them for the local platform's development page. */
    smsProvider: e.SMS_PROVIDER,
    /** Secrets Manager secret: {accountSid, apiKeySid, apiKeySecret, fromNumber | messagingServiceSid}. */
    twilioSecretArn: e.TWILIO_SECRET_ARN,
    /** `eventbridge` on AWS; `local` keeps reminders in the table for the local scheduler loop. */
    reminderScheduler: e.REMINDER_SCHEDULER,
    reminderTargetArn: e.REMINDER_TARGET_ARN,
    schedulerRoleArn: e.SCHEDULER_ROLE_ARN,
    scheduleGroup: e.SCHEDULE_GROUP,
    /** SQS queue that keeps reminders EventBridge Scheduler could not deliver after its retries. */
    reminderDeadLetterArn: e.REMINDER_DLQ_ARN,
    /** SQS queue texts wait in for the send-text function (AWS; locally an in-process queue). */
    textQueueUrl: e.TEXT_QUEUE_URL,
    /** `p2p`: browser-to-browser WebRTC with our signaling; `twilio`: Twilio Video rooms. */
    videoProvider: e.VIDEO_PROVIDER,
    /**
     * RTCIceServer list for p2p calls (with ICE_FROM_TWILIO: only when Twilio gives no TURN
     * credentials); empty by default, so local media stays on loopback.
     */
    iceServers: e.ICE_SERVERS,
    /** Fetch TURN credentials per call from Twilio's Network Traversal Service (p2p on AWS). */
    iceFromTwilio: e.ICE_FROM_TWILIO === 'true',
    /** The @connections endpoint of the WebSocket API. */
    wsManagementEndpoint: e.WS_MANAGEMENT_ENDPOINT,
    /**
     * The REST API's address as the outside world calls it (`https://…/v1`, no trailing slash):
     * Twilio posts delivery reports and STOP/START there, and signs that exact URL.
     */
    publicApiUrl: e.PUBLIC_API_URL?.replace(/\/+$/, ''),
    /**
     * Twilio recordings, off by default. On only with storage of ours, as Twilio's recording
     * settings must show it: our S3 bucket (through a stored AWS credential) or encryption with our
     * public key (docs/operations.md, docs/adr/0012-recordings-only-in-our-storage.md).
     */
    recording:
      e.RECORDING === 'on'
        ? {
            ...(e.RECORDING_AWS_CREDENTIALS_SID && e.RECORDING_S3_URL
              ? { awsCredentialsSid: e.RECORDING_AWS_CREDENTIALS_SID, s3Url: e.RECORDING_S3_URL }
              : {}),
            ...(e.RECORDING_ENCRYPTION_KEY_SID ? { encryptionKeySid: e.RECORDING_ENCRYPTION_KEY_SID } : {}),
          }
        : undefined,
  } as const;
}

export type Config = ReturnType<typeof loadConfig>;

/** The user pool and its app client, for the compositions that call Cognito or verify its tokens. */
export function userPoolOf(config: Pick<Config, 'userPoolId' | 'userPoolClientId'>) {
  if (!config.userPoolId) throw new ConfigurationError('Invalid configuration: USER_POOL_ID is required');
  if (!config.userPoolClientId)
    throw new ConfigurationError('Invalid configuration: USER_POOL_CLIENT_ID is required');
  return { userPoolId: config.userPoolId, userPoolClientId: config.userPoolClientId };
}

/**
 * Whether this process is a Lambda function (the runtime sets AWS_LAMBDA_FUNCTION_NAME, a variable
 * of the platform, not an application setting): handlers compose at cold start there, and metrics
 * and tracing are on only there.
 */
export function runningOnLambda(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
}
