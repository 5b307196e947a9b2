import { adminErrors, getOperation, json, jsonBody, pathParameter, problem } from './common.js';

/** The users and clients registry (functions/identity-admin.ts). */
export function identityPaths(): Record<string, unknown> {
  const email = pathParameter('email', { schema: { type: 'string', format: 'email' } });
  const refused = problem(
    'Invalid input: malformed e-mail, unknown campaign, unit or scope, a grant or scope beyond your own; `errors` lists each',
  );
  /** A principal whose grants your own do not cover is answered as an unknown one, as the lists hide it. */
  const manageErrors = (noun: 'user' | 'machine client') => ({
    '400': problem('Invalid input; `errors` lists each'),
    ...adminErrors,
    '404': problem(`No such ${noun}, or one holding grants your own do not cover`),
    '502': problem('Cognito failed'),
  });
  /** A user's changes and its removal act only on the version whose grants were checked. */
  const userErrors = { ...manageErrors('user'), '409': problem('Changed meanwhile; try again') };
  const userAction = (summary: string) => ({
    post: { summary, parameters: [email], responses: { '200': json('User', 'Done'), ...userErrors } },
  });
  return {
    '/v1/users': {
      post: {
        summary: 'Register a person (scope admin; only grants and scopes your own cover)',
        description:
          'Locally the answer carries a one-time password; in AWS Cognito e-mails the person an invitation. ' +
          '`units` are grants: *, <campaignId>:*, <campaignId>:<unitId> or <unitId>.',
        requestBody: jsonBody('UserInput'),
        responses: {
          '201': json('UserCreated', 'Registered'),
          '400': refused,
          ...adminErrors,
          '409': problem('A user with this e-mail exists'),
          '502': problem('Cognito failed'),
        },
      },
      get: getOperation({
        summary: 'The users whose grants your own cover (scope admin)',
        response: 'UserList',
        errors: adminErrors,
      }),
    },
    '/v1/users/{email}': {
      put: {
        summary: "Replace a user's grants and scopes, effective at its next token (scope admin)",
        parameters: [email],
        requestBody: jsonBody('UserGrants'),
        responses: { '200': json('User', 'Replaced'), ...userErrors },
      },
      delete: {
        summary: 'Remove a user (scope admin)',
        parameters: [email],
        responses: { '204': { description: 'Removed' }, ...userErrors },
      },
    },
    '/v1/users/{email}/disable': userAction('Disable a user: no new token, refresh included (scope admin)'),
    '/v1/users/{email}/enable': userAction('Enable a user again (scope admin)'),
    '/v1/clients': {
      post: {
        summary:
          'Register a machine client (client credentials); the secret is in this answer only (scope admin)',
        requestBody: jsonBody('ClientInput'),
        responses: {
          '201': json('ClientCreated', 'Registered'),
          '400': refused,
          ...adminErrors,
          '502': problem('Cognito failed'),
        },
      },
      get: getOperation({
        summary: 'The machine clients whose grants your own cover (scope admin)',
        response: 'ClientList',
        errors: adminErrors,
      }),
    },
    '/v1/clients/{clientId}': {
      delete: {
        summary: 'Remove a machine client: it gets no new token (scope admin)',
        parameters: [pathParameter('clientId')],
        responses: { '204': { description: 'Removed' }, ...manageErrors('machine client') },
      },
    },
  };
}
