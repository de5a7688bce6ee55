/** The text queue of the routes that queue texts (capability `sms`) only. */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { TextQueue } from '../../core/ports';
import { ConfigurationError } from '../../lib/config';
import { sqsTextQueue } from '../sms/sqs-queue';
import type { AppointmentsContext } from './appointments';

/** SQS on AWS; the local platform passes its in-process queue as an override. */
export function textQueue({ config, overrides }: AppointmentsContext): TextQueue {
  if (overrides.texts) return overrides.texts;
  // Bound only to functions whose route texts (capability `sms`).
  if (!config.textQueueUrl) throw new ConfigurationError('Texting needs TEXT_QUEUE_URL');
  return sqsTextQueue(new SQSClient({ region: config.region }), config.textQueueUrl);
}
