import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger. Log ids, routes, statuses and durations — never names, emails,
 * phone numbers, reasons for visit, chat text or notes.
 */
export const logger = new Logger({ serviceName: 'telehealth' });
