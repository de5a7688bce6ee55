import type { Role } from './roles';
import type { Practice } from './practice';

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; requestId?: string };
}

export interface Profile {
  userId: string;
  role: Role;
  name: string;
  email: string;
  phone?: string;
  /** True once the patient entered the code texted to `phone`; texts go only to a verified phone. */
  phoneVerified?: boolean;
  dateOfBirth?: string;
  specialty?: string;
  smsOptIn?: boolean;
  createdAt: string;
}

/**
 * `POST /register`: the same answer whether or not the email already has an account, so the
 * route tells nobody who is registered. A code goes to the address if the account is new.
 */
export interface SignUpResponse {
  status: 'confirmation_sent';
}

export interface MeResponse {
  profile: Profile;
}

export interface CreatedDoctorResponse {
  doctor: Profile;
  /** On AWS Cognito emails the temporary password; locally nothing is mailed, so it is shown. */
  invitation: { delivery: 'shown'; temporaryPassword: string } | { delivery: 'email' };
}

/** Runtime settings of the web app, served as /config.json (written from stack outputs on AWS). */
export interface WebConfig {
  stage: 'local' | 'aws';
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Set only locally: cognito-local's endpoint. */
  cognitoEndpoint?: string;
  authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  apiUrl: string;
  wsUrl: string;
  /** Sign out after this long without activity in any tab (IDLE_SIGN_OUT_MINUTES; 15 min by default). */
  idleSignOutSeconds: number;
  /** How long before the idle sign-out the warning shows (60 s). */
  idleWarningSeconds: number;
  /** Whose service this is: name, contact details, where the logo and legal texts are served. */
  practice: Practice;
}

/** `POST /me/sign-out`: every session of the caller has ended. */
export interface SignOutResponse {
  /** How many open WebSocket connections were closed. */
  closedConnections: number;
}

/** `GET /health`: 200 with every check `ok`, or 503 `unavailable` naming the failing check. */
/**
 * `twilio` (AWS only): whether the Twilio secret holds usable credentials. `unconfigured` (still the
 * placeholder, or fields missing) or `failing` leaves the status `ok` — sign-in and booking work —
 * but calls through Twilio answer 503 and texts wait in their retry path.
 */
export type TwilioHealth = 'ok' | 'unconfigured' | 'failing';
export type HealthResponse =
  | { status: 'ok'; checks: { table: 'ok'; twilio?: TwilioHealth } }
  | { status: 'unavailable'; checks: { table: 'failing'; twilio?: TwilioHealth } };

/**
 * Where Twilio posts texts' status callbacks and inbound texts (the contract's
 * `twilioMessagingWebhook`); apart from the contract so that the text sender does not bundle it.
 */
export const TWILIO_MESSAGING_WEBHOOK_PATH = '/webhooks/twilio/messages';
