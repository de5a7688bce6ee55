import { confirmPatient, endSessionsAfterPasswordReset } from '../core/accounts';
import { confirmationArea } from '../adapters/wiring/accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { logger } from '../lib/logger';

/** The part of Cognito's PostConfirmation event this trigger reads; Cognito expects it back. */
interface PostConfirmationEvent {
  triggerSource?: string;
  userPoolId?: string;
  userName?: string;
  request?: { userAttributes?: Record<string, string> };
}

/**
 * Cognito user-pool trigger, after a user confirmed their sign-up with the emailed code, or a
 * password reset (`PostConfirmation_ConfirmForgotPassword`), which ends every earlier session.
 */
export const { area, create, handler } = lambdaHandler(
  confirmationArea,
  (deps) =>
    async function postConfirmation<E extends PostConfirmationEvent>(event: E): Promise<E> {
      const userId = event.request?.userAttributes?.sub;
      if (event.triggerSource === 'PostConfirmation_ConfirmForgotPassword' && userId) {
        await endSessionsAfterPasswordReset(userId, deps);
        logger.info('password reset: sessions ended', { userId });
        return event;
      }
      if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
      if (!userId || !event.userName || !event.userPoolId) {
        logger.warn('post-confirmation without user');
        return event;
      }
      const user = { userId, userPoolId: event.userPoolId, username: event.userName };
      const result = await confirmPatient(user, deps);
      logger.info('post-confirmation', { userId, result });
      return event;
    },
);
