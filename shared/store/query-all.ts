import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Every item a Query matches, following LastEvaluatedKey page by page (1 MB each). With `limit`, at
 * most that many: each page asks DynamoDB only for what is still wanted (Limit) and paging stops
 * there, so memory and time are bounded whatever is stored; an answer of `limit` items may have more
 * behind it.
 */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit?: number,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  if (limit !== undefined && limit <= 0) return items;
  let startKey: Record<string, unknown> | undefined;
  do {
    const wanted = limit === undefined ? {} : { Limit: limit - items.length };
    const page = await db.send(new QueryCommand({ ...input, ...wanted, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && (limit === undefined || items.length < limit));
  return limit === undefined ? items : items.slice(0, limit);
}
