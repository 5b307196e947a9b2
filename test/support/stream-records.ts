/** Builders of DynamoDB stream records as Lambda delivers them (images in DynamoDB JSON). */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { RolledEvent } from '../../shared/domain/rollup.js';

export function aStreamRecord(seq: string, image: Record<string, unknown> | RolledEvent): DynamoDBRecord {
  const newImage = marshall(image, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
  return {
    eventID: `evt-${seq}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/IntakeEvents/stream/2021-03-01T00:00:00.000',
    dynamodb: {
      Keys: { pk: { S: `c1#${seq}` } },
      NewImage: newImage,
      SequenceNumber: seq.padStart(21, '0'),
      SizeBytes: 200,
      StreamViewType: 'NEW_IMAGE',
      ApproximateCreationDateTime: 1615600000,
    },
  };
}
