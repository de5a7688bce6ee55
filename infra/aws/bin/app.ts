import { App, Validations } from 'aws-cdk-lib';
import { nagPacks } from '../nag-packs';
import { stackNameOf, stackPropsFor, stageConfigFrom } from '../stages';
import { TelehealthStack } from '../telehealth-stack';

const app = new App();
// cdk-nag's AwsSolutions and HIPAA Security packs: synth and deploy stop on any finding the stack
// does not acknowledge (infra/aws/nag-suppressions.ts).
Validations.of(app).addPlugins(...nagPacks(app));

// `-c stage=dev|staging|prod` (scripts/deploy.ts passes it; default dev), then the context flags
// that override the stage's settings (infra/aws/stages.ts, infra/aws/README.md). Without
// CDK_DEFAULT_* (no credentials, e.g. CI) the stack is environment-agnostic and still synthesizes.
const config = stageConfigFrom((name) => app.node.tryGetContext(name), {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});
new TelehealthStack(app, stackNameOf(config.stage), stackPropsFor(config));

app.synth();
