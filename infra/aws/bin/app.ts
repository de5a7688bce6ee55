import { App } from 'aws-cdk-lib';
import { TelehealthStack, type VideoProvider } from '../telehealth-stack';

const app = new App();

/** A boolean context value: `-c name=true|false` arrives as a string, cdk.json may hold a boolean. */
function booleanContext(name: string): boolean | undefined {
  const value: unknown = app.node.tryGetContext(name);
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context ${name} must be true or false, got ${JSON.stringify(value)}`);
}

function videoProviderContext(): VideoProvider | undefined {
  const value: unknown = app.node.tryGetContext('videoProvider');
  if (value === undefined || value === '') return undefined;
  if (value === 'p2p' || value === 'twilio') return value;
  throw new Error(`Context videoProvider must be p2p or twilio, got ${JSON.stringify(value)}`);
}

// Without CDK_DEFAULT_* (no credentials, e.g. CI) the stack is environment-agnostic and still synthesizes.
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
const videoProvider = videoProviderContext();
const iceFromTwilio = booleanContext('iceFromTwilio');

new TelehealthStack(app, 'Telehealth', {
  ...(account || region ? { env: { account, region } } : {}),
  ...(typeof alarmEmail === 'string' && alarmEmail ? { alarmEmail } : {}),
  ...(videoProvider ? { videoProvider } : {}),
  ...(iceFromTwilio === undefined ? {} : { iceFromTwilio }),
  description: 'Telehealth: video consultations between doctors and patients',
});

app.synth();
