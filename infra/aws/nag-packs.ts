import { AwsSolutionsChecks, HIPAASecurityChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The cdk-nag packs the stack is held to: AWS Solutions (general best practice) and HIPAA Security
 * (the HIPAA Security Rule's technical safeguards as AWS Config rules). bin/app.ts runs them on
 * every synth; nag.test.ts on the stack in several configurations.
 */
export function nagPacks(scope?: IConstruct): NagPack[] {
  return [new AwsSolutionsChecks(scope), new HIPAASecurityChecks(scope)];
}
