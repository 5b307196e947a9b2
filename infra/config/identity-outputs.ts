/** Stack outputs that `npm run users|clients -- --stage` read (infra/stack.ts writes them). */
export const USER_POOL_ID_OUTPUT = 'UserPoolId';
export const RESOURCE_SERVER_OUTPUT = 'ResourceServerIdentifier';
