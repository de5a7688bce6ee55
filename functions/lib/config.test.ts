import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig, userPoolOf } from './config';

const valid = {
  AWS_REGION: 'eu-west-2',
  TABLE_NAME: 'table',
  USER_POOL_ID: 'eu-west-2_pool',
  USER_POOL_CLIENT_ID: 'client',
  SMS_PROVIDER: 'twilio',
  TWILIO_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:1:secret:twilio',
  REMINDER_SCHEDULER: 'eventbridge',
  VIDEO_PROVIDER: 'p2p',
  PRACTICE_NAME: 'Riverside Demo Clinic',
};

describe('configuration at cold start', () => {
  it('reads a complete environment', () => {
    expect(loadConfig(valid)).toMatchObject({
      region: 'eu-west-2',
      practiceName: 'Riverside Demo Clinic',
      smsProvider: 'twilio',
      reminderScheduler: 'eventbridge',
      videoProvider: 'p2p',
      appointmentChangeCutoffMinutes: 120,
      iceServers: [],
    });
  });

  it('takes the public API URL Twilio posts to without a trailing slash, and refuses one with a query', () => {
    expect(
      loadConfig({ ...valid, PUBLIC_API_URL: 'https://abc.execute-api.eu-west-2.amazonaws.com/v1/' }),
    ).toMatchObject({ publicApiUrl: 'https://abc.execute-api.eu-west-2.amazonaws.com/v1' });
    expect(() => loadConfig({ ...valid, PUBLIC_API_URL: 'https://api.example/v1?x=1' })).toThrow(
      /PUBLIC_API_URL must be an http\(s\) URL without query/,
    );
  });

  it.each([
    'AWS_REGION',
    'TABLE_NAME',
    'PRACTICE_NAME',
    'SMS_PROVIDER',
    'REMINDER_SCHEDULER',
    'VIDEO_PROVIDER',
  ])('refuses to start without %s, naming it, instead of using a local stand-in', (name) => {
    const env: Record<string, string | undefined> = { ...valid, [name]: undefined };
    expect(() => loadConfig(env)).toThrow(ConfigurationError);
    expect(() => loadConfig(env)).toThrow(name);
    expect(() => loadConfig({ ...valid, [name]: '' })).toThrow(name);
  });

  it.each(['USER_POOL_ID', 'USER_POOL_CLIENT_ID'])(
    'a composition that needs the user pool refuses to start without %s, naming it',
    (name) => {
      const config = loadConfig({ ...valid, [name]: undefined });
      expect(() => userPoolOf(config)).toThrow(ConfigurationError);
      expect(() => userPoolOf(config)).toThrow(name);
      expect(userPoolOf(loadConfig(valid))).toEqual({
        userPoolId: 'eu-west-2_pool',
        userPoolClientId: 'client',
      });
    },
  );

  it('refuses unknown providers, malformed numbers and ICE servers, and Twilio without its secret', () => {
    expect(() => loadConfig({ ...valid, SMS_PROVIDER: 'sns' })).toThrow('SMS_PROVIDER must be one of');
    expect(() => loadConfig({ ...valid, REMINDER_MINUTES_BEFORE: 'soon' })).toThrow(
      'REMINDER_MINUTES_BEFORE',
    );
    expect(() => loadConfig({ ...valid, ICE_SERVERS: '{not json' })).toThrow('ICE_SERVERS');
    expect(() => loadConfig({ ...valid, MAX_UPCOMING_APPOINTMENTS: '0' })).toThrow(
      'MAX_UPCOMING_APPOINTMENTS must be a positive whole number',
    );
    expect(loadConfig(valid).maxUpcomingAppointments).toBe(3);
    expect(loadConfig({ ...valid, MAX_UPCOMING_APPOINTMENTS: '5' }).maxUpcomingAppointments).toBe(5);
    expect(() => loadConfig({ ...valid, TWILIO_SECRET_ARN: undefined })).toThrow('TWILIO_SECRET_ARN');
  });

  describe('recording', () => {
    const twilio = { ...valid, VIDEO_PROVIDER: 'twilio' };
    const credential = `CR${'a'.repeat(32)}`;
    const key = `CR${'b'.repeat(32)}`;

    it('is off unless asked for', () => {
      expect(loadConfig(twilio).recording).toBeUndefined();
      expect(
        loadConfig({ ...twilio, RECORDING: 'off', RECORDING_ENCRYPTION_KEY_SID: key }).recording,
      ).toBeUndefined();
    });

    it('is on with our bucket, or with our encryption key', () => {
      expect(
        loadConfig({
          ...twilio,
          RECORDING: 'on',
          RECORDING_AWS_CREDENTIALS_SID: credential,
          RECORDING_S3_URL: 'https://bucket.s3.eu-west-2.amazonaws.com/recordings',
        }).recording,
      ).toEqual({
        awsCredentialsSid: credential,
        s3Url: 'https://bucket.s3.eu-west-2.amazonaws.com/recordings',
      });
      expect(loadConfig({ ...twilio, RECORDING: 'on', RECORDING_ENCRYPTION_KEY_SID: key }).recording).toEqual(
        {
          encryptionKeySid: key,
        },
      );
    });

    it.each([
      ['without storage', { ...twilio, RECORDING: 'on' }, /RECORDING=on needs safe storage/],
      [
        'with a credential but no bucket',
        { ...twilio, RECORDING: 'on', RECORDING_AWS_CREDENTIALS_SID: credential },
        /RECORDING=on needs safe storage/,
      ],
      [
        'for peer-to-peer calls',
        { ...valid, RECORDING: 'on', RECORDING_ENCRYPTION_KEY_SID: key },
        /RECORDING=on needs VIDEO_PROVIDER=twilio/,
      ],
      [
        'with a SID of the wrong kind',
        { ...twilio, RECORDING: 'on', RECORDING_ENCRYPTION_KEY_SID: `SK${'b'.repeat(32)}` },
        /RECORDING_ENCRYPTION_KEY_SID must be a Twilio CR/,
      ],
      [
        'with a value other than on or off',
        { ...twilio, RECORDING: 'yes' },
        /RECORDING must be one of off, on/,
      ],
    ])('refuses to start %s', (_name, env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });
  });
});
