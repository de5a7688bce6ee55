import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BackupPlan,
  BackupPlanRule,
  BackupResource,
  BackupVault,
  type BackupPlanCopyActionProps,
} from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * AWS Backup Vault Lock (governance mode until `changeableFor` passes, compliance after): recovery
 * points can be deleted by nobody, the root user included, before `minRetention`, and are kept no
 * longer than `maxRetention`. The plan's retentions must lie between the two.
 */
export interface BackupVaultLock {
  readonly minRetention: Duration;
  readonly maxRetention?: Duration;
  /** @default - governance mode: the lock can be removed by privileged users */
  readonly changeableFor?: Duration;
}

/** A copy of every recovery point into a vault elsewhere (another region or account). */
export interface BackupCopy {
  readonly destinationVaultArn: string;
  /** @default - as long as the recovery point it copies */
  readonly deleteAfter?: Duration;
}

export interface BackupProps {
  /** The tables to back up (they hold PHI). */
  readonly tables: readonly ITable[];
  /** @default 35 days */
  readonly dailyRetention?: Duration;
  /** @default 1 year */
  readonly monthlyRetention?: Duration;
  /** @default - no vault lock */
  readonly vaultLock?: BackupVaultLock;
  /** @default - recovery points stay in this region */
  readonly copy?: BackupCopy;
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
    const daily = props.dailyRetention ?? Duration.days(35);
    const monthly = props.monthlyRetention ?? Duration.days(365);
    const lock = props.vaultLock;
    if (lock) {
      const tooShort = [daily, monthly].some((r) => r.toDays() < lock.minRetention.toDays());
      const tooLong =
        lock.maxRetention && [daily, monthly].some((r) => r.toDays() > lock.maxRetention!.toDays());
      if (tooShort || tooLong) {
        throw new Error(
          `The backup vault lock (${lock.minRetention.toDays()}–${lock.maxRetention?.toDays() ?? '∞'} days) ` +
            `must allow the plan's retentions (${daily.toDays()} and ${monthly.toDays()} days)`,
        );
      }
    }
    const copyActions: BackupPlanCopyActionProps[] = props.copy
      ? [
          {
            destinationBackupVault: BackupVault.fromBackupVaultArn(
              this,
              'CopyVault',
              props.copy.destinationVaultArn,
            ),
            ...(props.copy.deleteAfter ? { deleteAfter: props.copy.deleteAfter } : {}),
          },
        ]
      : [];
    this.key = new Key(this, 'VaultKey', {
      description: 'Encrypts the telehealth backup vault (PHI)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new BackupVault(this, 'Vault', {
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(lock
        ? {
            lockConfiguration: {
              minRetention: lock.minRetention,
              ...(lock.maxRetention ? { maxRetention: lock.maxRetention } : {}),
              ...(lock.changeableFor ? { changeableFor: lock.changeableFor } : {}),
            },
          }
        : {}),
    });
    this.plan = new BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily',
          // 05:00 UTC: night in Europe and the Americas, when hardly anyone books.
          scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }),
          deleteAfter: daily,
          copyActions: copyActions.map((c) => ({ ...c, deleteAfter: c.deleteAfter ?? daily })),
        }),
        new BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: Schedule.cron({ day: '1', hour: '5', minute: '0' }),
          deleteAfter: monthly,
          copyActions: copyActions.map((c) => ({ ...c, deleteAfter: c.deleteAfter ?? monthly })),
        }),
      ],
    });
    this.plan.addSelection('Tables', {
      resources: props.tables.map((table) => BackupResource.fromDynamoDbTable(table)),
    });
  }
}
