import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
  type ITable,
} from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE } from '../../../functions/adapters/dynamo/table';
import type { TableAccess } from '../../../functions/routes';

/** Item reads the handlers make (no Scan, which nothing uses; no batch reads either). */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
/**
 * Item writes, besides the reads. Transactions (booking: claims, appointment, idempotency key) are
 * authorised per item action, so TransactWriteItems needs nothing more; nothing uses BatchWriteItem.
 */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
/** What writing through DynamoDB needs of the table key, besides kms:Encrypt/Decrypt/DescribeKey. */
export const TABLE_KEY_WRITE_ACTIONS = [
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
];
/** The partition keys of audit entries (functions/adapters/dynamo/audit.ts): `AUDIT#<day>`. */
export const AUDIT_LEADING_KEYS = 'AUDIT#*';

/** An existing table (e.g. restored from a backup or to a point in time) and the key encrypting it. */
export interface AdoptedTable {
  readonly tableName: string;
  /** The customer-managed KMS key the table is encrypted with (a restore keeps or sets one). */
  readonly keyArn: string;
}

export interface DataProps {
  /** An alias for the table key, for people reading CloudTrail. @default - no alias */
  readonly keyAlias?: string;
  /**
   * What becomes of the table and its key when they leave the stack. RETAIN also turns on the
   * table's deletion protection; DESTROY is for throwaway stages (dev).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Use this table instead of creating one (the restore drill, docs/operations.md). The stack then
   * neither creates nor changes the table: its point-in-time recovery, TTL and deletion protection
   * are set on the table itself. Grants stay exactly those of {@link grant}.
   */
  readonly adopt?: AdoptedTable;
}

/**
 * The single table (key design in functions/adapters/dynamo/table.ts) encrypted with a
 * customer-managed key, with point-in-time recovery. Both outlive the stack by default: they hold PHI.
 */
export class Data extends Construct {
  readonly key: IKey;
  readonly table: ITable;
  /** Whether the table is one the stack adopted rather than created. */
  readonly adopted: boolean;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);

    if (props.adopt) {
      this.adopted = true;
      this.key = Key.fromKeyArn(this, 'TableKey', props.adopt.keyArn);
      this.table = Table.fromTableAttributes(this, 'Table', {
        tableName: props.adopt.tableName,
        encryptionKey: this.key,
      });
      return;
    }
    this.adopted = false;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Only for the table: the Twilio secret has its own key (Notifications).
    const key = new Key(this, 'TableKey', {
      description: 'Encrypts the telehealth table (PHI)',
      enableKeyRotation: true,
      ...(props.keyAlias ? { alias: props.keyAlias } : {}),
      removalPolicy,
      ...(removalPolicy === RemovalPolicy.DESTROY ? { pendingWindow: Duration.days(7) } : {}),
    });
    this.key = key;

    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: TABLE.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    this.table = table;

    for (const index of TABLE.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * Exactly the table access a route declares (`access` in functions/routes.ts):
   * - `read`: GetItem/BatchGetItem/Query/ConditionCheckItem on the table and its indexes, and decryption with the
   *   table key through DynamoDB only;
   * - `audit`: `read`, plus PutItem of items whose partition key is `AUDIT#…` and nothing else;
   * - `write`: `read`, plus PutItem/UpdateItem/DeleteItem, with an explicit Deny on updating or
   *   deleting audit entries (the audit trail is append-only for every function).
   * Nobody gets Scan or the stream actions.
   */
  grant(grantee: IGrantable, access: TableAccess): void {
    const region = Stack.of(this).region;
    const viaDynamo = { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } };
    // The table and its named indexes, rather than table.grant's `<table>/index/*`.
    const indexArns = TABLE.indexes.map((index) => `${this.table.tableArn}/index/${index.name}`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: TABLE_READ_ACTIONS,
        resources: [this.table.tableArn, ...indexArns],
      }),
    );
    const keyActions = ['kms:Decrypt', 'kms:DescribeKey'];
    if (access === 'audit') {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:PutItem'],
          resources: [this.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_LEADING_KEYS] } },
        }),
      );
    }
    if (access === 'write') {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: TABLE_WRITE_ACTIONS,
          resources: [this.table.tableArn],
        }),
      );
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.DENY,
          actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
          resources: [this.table.tableArn],
          conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_LEADING_KEYS] } },
        }),
      );
    }
    // Spelled out rather than `kms:ReEncrypt*` / `kms:GenerateDataKey*` (no key pairs).
    if (access !== 'read') keyActions.push('kms:Encrypt', ...TABLE_KEY_WRITE_ACTIONS);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: keyActions,
        resources: [this.key.keyArn],
        conditions: viaDynamo,
      }),
    );
  }
}
