import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deliverText } from '../core/notifications';
import { SmsNotAccepted, type TextRequest } from '../core/ports';
import { textJobArea } from '../adapters/wiring/text-job';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { logger } from '../lib/logger';

/**
 * Consumes the text queue (SQS on AWS, the in-process queue locally). A record whose send may
 * succeed later (Twilio's rate limit or outage, no connection) is reported back, so only it is
 * delivered again; after the last attempt it goes to the dead-letter queue. A text Twilio refused
 * for good, or whose outcome is unknown, is acknowledged (`deliverText`). Logs carry ids, Twilio's
 * HTTP status and numeric error code only.
 */
export const { area, create, handler } = lambdaHandler(
  textJobArea,
  (deps) =>
    async function sendTextHandler(event: SQSEvent): Promise<SQSBatchResponse> {
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        let request: TextRequest;
        try {
          request = JSON.parse(record.body) as TextRequest;
        } catch {
          // Not ours to drop: it fails each attempt and ends in the dead-letter queue for ops to see.
          logger.warn('text request unreadable', { messageId: record.messageId });
          batchItemFailures.push({ itemIdentifier: record.messageId });
          continue;
        }
        try {
          const result = await deliverText(request, deps);
          logger.info('text', { appointmentId: request.appointmentId, kind: request.kind, result });
        } catch (err) {
          logger.warn('text not sent', {
            appointmentId: request.appointmentId,
            kind: request.kind,
            attempt: Number(record.attributes?.ApproximateReceiveCount ?? 1),
            errorName: (err as Error).name,
            ...(err instanceof SmsNotAccepted ? { status: err.status, code: err.code } : {}),
          });
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures };
    },
);
