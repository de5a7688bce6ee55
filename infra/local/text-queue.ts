/**
 * The local stand-in for the SQS text queue: texts are handed to the same `send-text` handler the
 * queue's event source invokes on AWS, one record per delivery. A failed delivery is retried after a
 * growing pause (real timers), up to the job's `maxAttempts` (SQS: maxReceiveCount); then the text
 * stays in the dead-letter state. Every step shows on the text's outbox entry: queued, sent, failed.
 */
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DynamoTable } from '../../functions/adapters/dynamo/client';
import { textState } from '../../functions/adapters/dynamo/sent-texts';
import { putQueuedText, setQueuedTextStatus } from '../../functions/adapters/sms/outbox';
import { textId, type TextQueue, type TextRequest } from '../../functions/core/ports';
import { jobs } from '../../functions/routes';

export type DeliverTexts = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface LocalTextQueue extends TextQueue {
  /** Connects the consumer (the send-text handler), once the platform's handlers can be loaded. */
  consumeWith(deliver: DeliverTexts): void;
  /** Texts that failed every attempt, oldest first (AWS: the dead-letter queue). */
  readonly deadLetters: readonly TextRequest[];
  stop(): Promise<void>;
}

/** Pause before delivery attempt n + 1: 250 ms, 0.5 s, 1 s, 2 s, … */
export const retryPauseMs = (attemptsSoFar: number) => 250 * 2 ** (attemptsSoFar - 1);

export function localTextQueue(
  table: DynamoTable,
  maxAttempts: number = jobs.sendText.maxAttempts,
): LocalTextQueue {
  let deliver: DeliverTexts | undefined;
  let stopped = false;
  const deadLetters: TextRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  const later = (ms: number, fn: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const running = fn()
        .catch((err: unknown) => console.warn(`[text queue] delivery stopped: ${(err as Error).name}`))
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
    }, ms);
    timers.add(timer);
  };

  const attempt = async (request: TextRequest, attempts: number): Promise<void> => {
    if (stopped) return;
    const text = { queuedAt: request.queuedAt, textId: textId(request) };
    const record = {
      messageId: randomUUID(),
      body: JSON.stringify(request),
      attributes: { ApproximateReceiveCount: String(attempts) },
    } as SQSEvent['Records'][number];
    const failed = await deliver!({ Records: [record] }).then(
      (result) => result.batchItemFailures.length > 0,
      () => true,
    );
    if (!failed) {
      // Acknowledged: sent, or refused for good by Twilio (then not retried, shown as failed).
      const refused = (await textState(table, text.textId)) === 'failed';
      return setQueuedTextStatus(table, text, refused ? 'failed' : 'sent', attempts);
    }
    if (attempts >= maxAttempts) {
      deadLetters.push(request);
      console.warn(
        `[text queue] ${request.kind} text for appointment ${request.appointmentId} failed ` +
          `${attempts} times: kept as a dead letter (see /dev/outbox)`,
      );
      return setQueuedTextStatus(table, text, 'failed', attempts);
    }
    await setQueuedTextStatus(table, text, 'queued', attempts);
    later(retryPauseMs(attempts), () => attempt(request, attempts + 1));
  };

  return {
    consumeWith(consumer) {
      deliver = consumer;
    },
    deadLetters,
    async enqueue(request) {
      if (!deliver) throw new Error('The local text queue has no consumer yet');
      await putQueuedText(table, request);
      // Like SendMessage: the caller goes on at once; delivery happens on its own time.
      later(0, () => attempt(request, 1));
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
