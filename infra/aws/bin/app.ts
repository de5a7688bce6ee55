import { App } from 'aws-cdk-lib';
import { TelehealthStack } from '../telehealth-stack';

const app = new App();

// Without CDK_DEFAULT_* (no credentials, e.g. CI) the stack is environment-agnostic and still synthesizes.
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');

new TelehealthStack(app, 'Telehealth', {
  ...(account || region ? { env: { account, region } } : {}),
  ...(typeof alarmEmail === 'string' && alarmEmail ? { alarmEmail } : {}),
  description: 'Telehealth: video consultations between doctors and patients',
});

app.synth();
