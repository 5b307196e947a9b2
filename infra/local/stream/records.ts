/**
 * Stream records as the local event source mapping reads and delivers them: sequence numbers compared
 * as integers, and the SDK's records turned into the JSON shape Lambda puts in a DynamoDB stream event.
 */
import type {
  AttributeValue as SdkAttributeValue,
  _Record as SdkRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';

/** Compares two stream sequence numbers as integers (never as strings): -1, 0 or 1. */
export function compareSequenceNumbers(a: string, b: string): -1 | 0 | 1 {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isSequenceNumber(value: unknown): value is string {
  return typeof value === 'string' && /^\d+$/.test(value);
}

/** One record read from a shard, waiting in the shard's buffer or in a batch. */
export interface StreamItem {
  readonly sequenceNumber: string;
  /** ApproximateCreationDateTime, epoch seconds. */
  readonly createdAtSeconds: number;
  readonly record: DynamoDBRecord;
}

/** An SDK AttributeValue (binary as Uint8Array) in the JSON form Lambda delivers (binary as base64). */
export function toLambdaAttributeValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`);
}

function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(image)) out[name] = toLambdaAttributeValue(value);
  return out;
}

/** A stream record as Lambda puts it in the event: DynamoDB JSON images, epoch-second timestamps. */
export function toLambdaRecord(record: SdkRecord, streamArn: string): DynamoDBRecord {
  const ddb = record.dynamodb ?? {};
  const dynamodb: StreamRecord = {};
  if (ddb.ApproximateCreationDateTime)
    dynamodb.ApproximateCreationDateTime = Math.floor(ddb.ApproximateCreationDateTime.getTime() / 1000);
  if (ddb.Keys) dynamodb.Keys = toLambdaImage(ddb.Keys);
  if (ddb.NewImage) dynamodb.NewImage = toLambdaImage(ddb.NewImage);
  if (ddb.OldImage) dynamodb.OldImage = toLambdaImage(ddb.OldImage);
  if (ddb.SequenceNumber !== undefined) dynamodb.SequenceNumber = ddb.SequenceNumber;
  if (ddb.SizeBytes !== undefined) dynamodb.SizeBytes = ddb.SizeBytes;
  if (ddb.StreamViewType !== undefined) dynamodb.StreamViewType = ddb.StreamViewType;
  const out: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? streamArn.split(':')[3],
    dynamodb,
    eventSourceARN: streamArn,
  };
  // TTL deletions carry the service identity, in Lambda's lower-case shape.
  if (record.userIdentity)
    out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return out;
}
