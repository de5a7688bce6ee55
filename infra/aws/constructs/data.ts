import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE } from '../../../functions/adapters/dynamo/table';

export interface DataProps {
  /** An alias for the table key, for people reading CloudTrail. @default - no alias */
  readonly keyAlias?: string;
}

/**
 * The single table (key design in functions/adapters/dynamo/table.ts) encrypted with a
 * customer-managed key, with point-in-time recovery. Both outlive the stack: they hold PHI.
 */
export class Data extends Construct {
  readonly key: Key;
  readonly table: Table;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);

    this.key = new Key(this, 'TableKey', {
      description: 'Encrypts the telehealth table (PHI)',
      enableKeyRotation: true,
      ...(props.keyAlias ? { alias: props.keyAlias } : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: TABLE.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /** Item reads only (Get, Query, …), including decryption with the table's KMS key. */
  grantRead(grantee: IGrantable): Grant {
    return this.table.grantReadData(grantee);
  }

  /** Item reads and writes, including use of the table's KMS key. */
  grantReadWrite(grantee: IGrantable): Grant {
    return this.table.grantReadWriteData(grantee);
  }
}
