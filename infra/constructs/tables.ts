/**
 * The DynamoDB tables, built generically from shared/store/tables.ts (the same definitions the
 * local runtime creates in DynamoDB Local), so keys, indexes and streams cannot drift apart.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '../../shared/store/tables.js';

export interface DataTablesProps<K extends string> {
  readonly definitions: Readonly<Record<K, TableDefinition>>;
  /** RETAIN also turns on deletion protection; DESTROY lets a dev stack be torn down. */
  readonly removalPolicy: RemovalPolicy.RETAIN | RemovalPolicy.DESTROY;
}

const attribute = (k: KeyAttribute) => ({
  name: k.name,
  type: k.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * One `Table` per definition, with the house settings:
 * - on-demand billing (traffic follows campaign deadlines: spiky, idle between);
 * - point-in-time recovery;
 * - encryption with the AWS-managed key `aws/dynamodb`: KMS-backed and visible in CloudTrail,
 *   at no key cost and with no key policy to maintain. A customer-managed key would only pay
 *   off for cross-account access or crypto-shredding, which this product does not need, and
 *   it adds a way to lose the data (a deleted or disabled key);
 * - no physical names: CloudFormation generates them, so two stages coexist in one account.
 *
 * `Table` (not `TableV2`) on purpose: it synthesizes `AWS::DynamoDB::Table`, the type cdk-nag's
 * DynamoDB rules inspect.
 */
export class DataTables<K extends string> extends Construct {
  readonly byKey: Readonly<Record<K, Table>>;

  constructor(scope: Construct, id: string, props: DataTablesProps<K>) {
    super(scope, id);
    const retain = props.removalPolicy === RemovalPolicy.RETAIN;
    const built = {} as Record<K, Table>;
    for (const key of Object.keys(props.definitions) as K[]) {
      const def = props.definitions[key];
      const table = new Table(this, def.logicalName, {
        partitionKey: attribute(def.partitionKey),
        ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.AWS_MANAGED,
        deletionProtection: retain,
        removalPolicy: props.removalPolicy,
        ...(def.stream
          ? {
              stream:
                def.stream === 'NEW_IMAGE' ? StreamViewType.NEW_IMAGE : StreamViewType.NEW_AND_OLD_IMAGES,
            }
          : {}),
        ...(def.timeToLiveAttribute ? { timeToLiveAttribute: def.timeToLiveAttribute } : {}),
      });
      for (const gsi of def.globalIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: gsi.indexName,
          partitionKey: attribute(gsi.partitionKey),
          ...(gsi.sortKey ? { sortKey: attribute(gsi.sortKey) } : {}),
          projectionType: ProjectionType.ALL,
        });
      }
      built[key] = table;
    }
    this.byKey = built;
  }
}
