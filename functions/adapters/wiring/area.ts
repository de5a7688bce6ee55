import type { Clock, SmsSender, TextQueue } from '../../core/ports';
import type { ManagementApi } from '../realtime';
import type { Config } from '../../lib/config';
import type { TwilioCredentialSource } from '../sms/twilio';

/**
 * What a composition's caller may replace: the local platform injects a test's clock, its
 * in-process text queue (SQS on AWS), its gateway's connections (the @connections endpoint without
 * the signed HTTP hop) and, for a test, an SMS provider talking to a fake Twilio with made-up
 * credentials (whose auth token also signs the test's webhook posts).
 */
export interface Overrides {
  clock?: Clock;
  texts?: TextQueue;
  sms?: SmsSender;
  twilioCredentials?: TwilioCredentialSource;
  connections?: ManagementApi;
}

/**
 * One area of the product (appointments, live, accounts, ...): the dependencies its handlers share,
 * built from a validated configuration once per Lambda module or local-platform instance.
 */
export interface Area<Deps> {
  readonly name: string;
  compose(config: Config, overrides?: Overrides): Deps;
}
