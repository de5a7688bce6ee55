import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface BackupProps {
  /** The tables to back up (they hold PHI). */
  readonly tables: readonly ITable[];
  /** @default 35 days */
  readonly dailyRetention?: Duration;
  /** @default 1 year */
  readonly monthlyRetention?: Duration;
}

/**
 * AWS Backup of the tables, besides their point-in-time recovery (which reaches back 35 days at
 * most and goes with the table): a daily and a monthly recovery point in a vault encrypted with
 * its own customer-managed key. Vault, key and recovery points outlive the stack.
 */
export class Backup extends Construct {
  readonly vault: BackupVault;
  readonly key: Key;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: BackupProps) {
    super(scope, id);
    this.key = new Key(this, 'VaultKey', {
      description: 'Encrypts the telehealth backup vault (PHI)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new BackupVault(this, 'Vault', {
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.plan = new BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily',
          // 05:00 UTC: night in Europe and the Americas, when hardly anyone books.
          scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }),
          deleteAfter: props.dailyRetention ?? Duration.days(35),
        }),
        new BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: Schedule.cron({ day: '1', hour: '5', minute: '0' }),
          deleteAfter: props.monthlyRetention ?? Duration.days(365),
        }),
      ],
    });
    this.plan.addSelection('Tables', {
      resources: props.tables.map((table) => BackupResource.fromDynamoDbTable(table)),
    });
  }
}
