/**
 * TransactWriteItems, all or nothing: DynamoDB cancels the whole transaction when a condition fails
 * (or another transaction conflicts), and the stores answer that cancellation in their own terms
 * (`exists`, `not_found`, false), so it is told apart here from every other error.
 */
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** DynamoDB cancelled the transaction (a condition failed, or a conflict): nothing of it was written. */
export const isTransactionCancelled = (error: unknown): boolean =>
  (error as { name?: string }).name === 'TransactionCanceledException';

/**
 * Writes the items in one transaction: true when written, false when DynamoDB cancelled it and
 * `cancelled` accepts that cancellation (any cancellation by default); every other error is thrown.
 */
export async function transactWrite(
  db: DynamoDBDocumentClient,
  items: TransactItems,
  cancelled: (error: unknown) => boolean = isTransactionCancelled,
): Promise<boolean> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (cancelled(error)) return false;
    throw error;
  }
}
