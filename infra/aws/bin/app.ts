import { App, Validations } from 'aws-cdk-lib';
import { nagPacks } from '../nag-packs';
import { TelehealthStack, type VideoProvider } from '../telehealth-stack';

const app = new App();
// cdk-nag's AwsSolutions and HIPAA Security packs: synth and deploy stop on any finding the stack
// does not acknowledge (infra/aws/nag-suppressions.ts).
Validations.of(app).addPlugins(...nagPacks(app));

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

/** A string context value, or undefined when not given. */
function stringContext(name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context ${name} must be a string`);
  return value;
}

// Without CDK_DEFAULT_* (no credentials, e.g. CI) the stack is environment-agnostic and still synthesizes.
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
const videoProvider = videoProviderContext();
const iceFromTwilio = booleanContext('iceFromTwilio');
const threatProtection = booleanContext('threatProtection');
const cloudFrontWebAclArn = stringContext('cloudFrontWebAclArn');
const domainName = stringContext('domainName');
const certificateArn = stringContext('certificateArn');
const hostedZoneId = stringContext('hostedZoneId');
const hostedZoneName = stringContext('hostedZoneName');
if ((certificateArn || hostedZoneId) && !domainName) {
  throw new Error('Context certificateArn and hostedZoneId need domainName');
}
if (Boolean(hostedZoneId) !== Boolean(hostedZoneName)) {
  throw new Error('Context hostedZoneId and hostedZoneName go together');
}

new TelehealthStack(app, 'Telehealth', {
  ...(account || region ? { env: { account, region } } : {}),
  ...(typeof alarmEmail === 'string' && alarmEmail ? { alarmEmail } : {}),
  ...(videoProvider ? { videoProvider } : {}),
  ...(iceFromTwilio === undefined ? {} : { iceFromTwilio }),
  ...(threatProtection === undefined ? {} : { threatProtection }),
  ...(cloudFrontWebAclArn ? { cloudFrontWebAclArn } : {}),
  ...(domainName
    ? {
        domain: {
          domainName,
          ...(certificateArn ? { certificateArn } : {}),
          ...(hostedZoneId && hostedZoneName
            ? { hostedZone: { hostedZoneId, zoneName: hostedZoneName } }
            : {}),
        },
      }
    : {}),
  description: 'Telehealth: video consultations between doctors and patients',
});

app.synth();
