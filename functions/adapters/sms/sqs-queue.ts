import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TextQueue } from '../../core/ports';

/** Texts wait in SQS for the send-text function; the message holds ids only (ADR 0010). */
export function sqsTextQueue(client: SQSClient, queueUrl: string): TextQueue {
  return {
    async enqueue(request) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }));
    },
  };
}
