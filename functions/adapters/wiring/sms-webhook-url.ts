import { TWILIO_MESSAGING_WEBHOOK_PATH } from '../../../shared/api';
import { ConfigurationError, type Config } from '../../lib/config';

/**
 * Where Twilio posts: the `StatusCallback` of every text and the Messaging Service's inbound
 * webhook (docs/operations.md). Twilio signs this exact URL, so it is the configured public one.
 */
export function smsWebhookUrl(config: Pick<Config, 'publicApiUrl'>): string {
  if (!config.publicApiUrl) throw new ConfigurationError('Texting through Twilio needs PUBLIC_API_URL');
  return `${config.publicApiUrl}${TWILIO_MESSAGING_WEBHOOK_PATH}`;
}
