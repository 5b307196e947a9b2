/**
 * What `npm start` prints once the system is up (infra/local/main.ts): where DynamoDB Local runs, the
 * runtime's notes, how to get a token or sign in, and last the line `ready <url>` that scripts wait for.
 */

export interface BannerInput {
  readonly url: string;
  readonly dynamoEndpoint: string;
  readonly tables: readonly string[];
  readonly notes: readonly string[];
  /** The demo province leader's sign-in link; null without the demo (--no-demo). */
  readonly signInLink: string | null;
  readonly startedSeconds: number;
}

const LINK_FOR_OTHERS = 'npm run token -- --sub … --units … --scope "progress:read" --link';

export function readyLines(input: BannerInput): string[] {
  const { url } = input;
  return [
    `  DynamoDB Local  ${input.dynamoEndpoint} (tables: ${input.tables.join(', ')})`,
    ...input.notes.map((note) => `  ${note}`),
    '  get a token     npm run token -- --sub admin --units "*" --scope "admin progress:read intake:write"',
    `  sign-in         ${url}/.well-known/openid-configuration (users: npm run users -- add …)`,
    `  try             curl ${url}/v1/openapi.json`,
    `  dashboard       ${url}/`,
    ...(input.signInLink
      ? [
          `  sign in         ${input.signInLink}`,
          `                  (the demo province leader; others: ${LINK_FOR_OTHERS})`,
        ]
      : [`  sign-in link    ${LINK_FOR_OTHERS}`]),
    `  started in ${input.startedSeconds.toFixed(1)} s; Ctrl-C to stop`,
    `ready ${url}`,
  ];
}
