/**
 * Where the roll-up puts a record it can never process (an image that is not an intake event):
 * retrying cannot help, and reporting it as failed would hold up every record behind it, so it is
 * set aside at once with its reason. In AWS: the roll-up's on-failure SQS queue (the same queue
 * Lambda sends exhausted batches to). Locally: the on-failure file under .local/.
 */
import { appendFile } from 'node:fs/promises';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface PoisonRecord {
  readonly eventID: string | undefined;
  readonly sequenceNumber: string;
  readonly shardId: string;
  readonly reason: string;
  /** The record's image as delivered (DynamoDB JSON), for whoever repairs it. */
  readonly image: unknown;
}

export interface PoisonSink {
  quarantine(record: PoisonRecord): Promise<void>;
}

export class SqsPoisonSink implements PoisonSink {
  constructor(
    private readonly queueUrl: string,
    private readonly sqs: SQSClient = new SQSClient({}),
  ) {}

  async quarantine(record: PoisonRecord): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ condition: 'PoisonRecord', ...record }),
        MessageAttributes: { condition: { DataType: 'String', StringValue: 'PoisonRecord' } },
      }),
    );
  }
}

export class FilePoisonSink implements PoisonSink {
  constructor(private readonly file: string) {}

  async quarantine(record: PoisonRecord): Promise<void> {
    const line = { at: new Date().toISOString(), condition: 'PoisonRecord', ...record };
    await appendFile(this.file, `${JSON.stringify(line)}\n`);
  }
}
