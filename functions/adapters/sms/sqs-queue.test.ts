import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sqsTextQueue } from './sqs-queue';

const sqs = mockClient(SQSClient);

describe('sqsTextQueue', () => {
  it('sends the request as the message body: ids only', async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const request = {
      appointmentId: 'a-1',
      kind: 'booked' as const,
      recipientId: 'p-1',
      version: 2,
      queuedAt: '2026-03-10T14:00:00.000Z',
    };
    await sqsTextQueue(new SQSClient({ region: 'us-east-1' }), 'https://sqs.example/q').enqueue(request);
    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe('https://sqs.example/q');
    expect(JSON.parse(input.MessageBody!)).toEqual(request);
  });
});
