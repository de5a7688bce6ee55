import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger. Log ids, routes, statuses and durations — never names, emails,
 * phone numbers, reasons for visit, chat text or notes.
 *
 * Powertools reads its own POWERTOOLS_* / AWS_LAMBDA_* variables (log level, sampling) when the
 * logger is constructed at import; that is the library's convention and carries no application
 * setting, so it stays outside the validated configuration.
 */
export const logger = new Logger({ serviceName: 'telehealth' });
