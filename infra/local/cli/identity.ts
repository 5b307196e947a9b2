/**
 * `npm run users -- …` and `npm run clients -- …`: the users and clients registry, through the same
 * service as the admin HTTP routes (shared/identity/registry.ts). Local by default (the running
 * system's DynamoDB Local, the local identity provider's directory under .local/keys/), or with
 * `--stage <name>` a deployed stage: its Campaign table and its Cognito user pool (stack outputs).
 * The operator of a CLI holds every grant (like the stack's owner); the HTTP twins check the
 * caller's own grants.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { IDENTITY_SCOPES } from '../../../shared/domain/identity.js';
import { cognitoDirectory } from '../../../shared/identity/cognito-directory.js';
import { localDirectory } from '../../../shared/identity/local-directory.js';
import { type Giver, type IdentityDirectory, IdentityRegistry } from '../../../shared/identity/registry.js';
import { DynamoCampaignStore } from '../../../shared/store/campaign-store.js';
import { DynamoIdentityStore } from '../../../shared/store/identity-store.js';
import { RegistryError } from '../../../shared/store/recipient-store.js';
import { RESOURCE_SERVER_OUTPUT, USER_POOL_ID_OUTPUT } from '../../config/identity-outputs.js';
import { localPaths } from '../paths.js';
import { CliError, resolveTarget, stackName } from './target.js';
import { textTable } from './text-table.js';

export const USERS_USAGE = `usage: npm run users -- <command> [--stage <name>]

  add --email <e> --name <n> --units <id,id> --scope "<scopes>"
      Register a person. Locally prints a one-time password; in AWS Cognito e-mails an invitation.
  list                      The users whose grants yours cover.
  update <email> --units <id,id> --scope "<scopes>"
                            Replace a user's grants and scopes.
  disable <email>           No new token from now on (refresh included).
  enable <email>
  remove <email>

  --units: grants, comma-separated: *, <campaignId>:*, <campaignId>:<unitId> or <unitId>.
  --scope: ${IDENTITY_SCOPES.join(', ')} (space-separated). A change takes effect at the next token.
`;

export const CLIENTS_USAGE = `usage: npm run clients -- <command> [--stage <name>]

  add --name <n> --units <id,id> --scope "<scopes>"
      Register a machine client (an intake app); prints client_id and client_secret, once.
  list
  remove <client_id>
`;

export interface IdentityCliContext {
  resolve(stage: string | undefined): Promise<{ description: string; registry: IdentityRegistry }>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly actor: string;
}

async function stackOutputs(stage: string): Promise<Record<string, string>> {
  const name = stackName(stage);
  try {
    const { Stacks } = await new CloudFormationClient({}).send(
      new DescribeStacksCommand({ StackName: name }),
    );
    return Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  } catch (error) {
    throw new CliError(`Could not read the outputs of stack ${name}: ${(error as Error).message}`);
  }
}

export async function resolveIdentityTarget(stage: string | undefined) {
  const target = await resolveTarget(stage);
  let directory: IdentityDirectory;
  if (stage === undefined) {
    directory = localDirectory(localPaths().keys);
  } else {
    const outputs = await stackOutputs(stage);
    const userPoolId = outputs[USER_POOL_ID_OUTPUT];
    const resourceServerId = outputs[RESOURCE_SERVER_OUTPUT];
    if (!userPoolId || !resourceServerId) {
      throw new CliError(
        `Stack ${stackName(stage)} has no ${USER_POOL_ID_OUTPUT} output: it was deployed with identity "external"; manage users in your own identity provider`,
      );
    }
    directory = cognitoDirectory(new CognitoIdentityProviderClient({}), { userPoolId, resourceServerId });
  }
  return {
    description: target.description,
    registry: new IdentityRegistry({
      store: new DynamoIdentityStore(target.db, target.tables.campaign),
      campaigns: new DynamoCampaignStore(target.db, target.tables.campaign),
      directory,
    }),
  };
}

function operator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

const defaultContext: IdentityCliContext = {
  resolve: resolveIdentityTarget,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  actor: operator(),
};

const giverOf = (actor: string): Giver => ({
  sub: actor,
  grants: [{ kind: 'all' }],
  scopes: new Set(IDENTITY_SCOPES),
});

const splitUnits = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);

function failure(context: IdentityCliContext, program: string, error: unknown): number {
  if (error instanceof RegistryError) {
    context.err(`${program}: ${error.message}`);
    return 1;
  }
  if (error instanceof CliError) {
    context.err(`${program}: ${error.message}`);
    return 1;
  }
  throw error;
}

interface Parsed {
  values: Record<string, string | undefined>;
  positionals: string[];
}

function parse(
  context: IdentityCliContext,
  program: string,
  usage: string,
  args: readonly string[],
  options: readonly string[],
): Parsed | number {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: Object.fromEntries(options.map((o) => [o, { type: 'string' as const }])),
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | undefined>, positionals };
  } catch (error) {
    context.err(`${program}: ${(error as Error).message}\n${usage.trimEnd()}`);
    return 2;
  }
}

/** Exit codes: 0 done, 1 refused (or the system is not running), 2 the command line is wrong. */
export async function runUsersCli(
  args: readonly string[],
  context: IdentityCliContext = defaultContext,
): Promise<number> {
  const [command, ...rest] = args;
  const commands = ['add', 'list', 'update', 'disable', 'enable', 'remove'];
  if (command === undefined || !commands.includes(command)) {
    context.err(
      command === undefined
        ? USERS_USAGE.trimEnd()
        : `users: unknown command "${command}"\n${USERS_USAGE.trimEnd()}`,
    );
    return command === 'help' ? 0 : 2;
  }
  const parsed = parse(
    context,
    'users',
    USERS_USAGE,
    rest,
    command === 'add'
      ? ['stage', 'email', 'name', 'units', 'scope']
      : command === 'update'
        ? ['stage', 'units', 'scope']
        : ['stage'],
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const wantsEmail = command !== 'add' && command !== 'list';
  if (wantsEmail ? positionals.length !== 1 : positionals.length !== 0) {
    context.err(
      `users: ${wantsEmail ? `${command} takes exactly one e-mail address` : `unexpected argument "${positionals[0]}"`}`,
    );
    return 2;
  }
  if (command === 'add' || command === 'update') {
    const missing = (command === 'add' ? ['email', 'name', 'units', 'scope'] : ['units', 'scope']).filter(
      (k) => values[k] === undefined,
    );
    if (missing.length > 0) {
      context.err(
        `users: ${command} needs ${missing.map((k) => `--${k}`).join(', ')}\n${USERS_USAGE.trimEnd()}`,
      );
      return 2;
    }
  }
  try {
    const { description, registry } = await context.resolve(values.stage);
    const giver = giverOf(context.actor);
    const email = positionals[0] as string;
    switch (command) {
      case 'add': {
        const { user, oneTimePassword } = await registry.addUser(giver, {
          email: values.email,
          name: values.name,
          units: splitUnits(values.units),
          scope: values.scope,
        });
        context.err(`added ${user.email} (sub ${user.sub}) to the ${description}`);
        if (oneTimePassword) context.out(`one-time password: ${oneTimePassword}`);
        else context.out(`Cognito has e-mailed ${user.email} an invitation with a temporary password`);
        return 0;
      }
      case 'list': {
        const users = await registry.listUsers(giver);
        context.err(`${users.length} user(s) in the ${description}`);
        for (const line of textTable(
          ['EMAIL', 'NAME', 'STATE', 'SCOPE', 'UNITS'],
          users.map((u) => [
            u.email,
            u.name,
            u.disabled ? 'disabled' : 'enabled',
            u.scope,
            u.units.join(','),
          ]),
        ))
          context.out(line);
        return 0;
      }
      case 'update': {
        const user = await registry.updateUserGrants(giver, email, {
          units: splitUnits(values.units),
          scope: values.scope,
        });
        context.out(
          `${user.email}: ${user.scope} on ${user.units.join(',')} from the next token (${description})`,
        );
        return 0;
      }
      case 'disable':
      case 'enable': {
        const user = await registry.setUserEnabled(giver, email, command === 'enable');
        context.out(`${user.email} ${user.disabled ? 'disabled' : 'enabled'} (${description})`);
        return 0;
      }
      default: {
        await registry.removeUser(giver, email);
        context.out(`${email} removed (${description})`);
        return 0;
      }
    }
  } catch (error) {
    return failure(context, 'users', error);
  }
}

export async function runClientsCli(
  args: readonly string[],
  context: IdentityCliContext = defaultContext,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || !['add', 'list', 'remove'].includes(command)) {
    context.err(
      command === undefined
        ? CLIENTS_USAGE.trimEnd()
        : `clients: unknown command "${command}"\n${CLIENTS_USAGE.trimEnd()}`,
    );
    return 2;
  }
  const parsed = parse(
    context,
    'clients',
    CLIENTS_USAGE,
    rest,
    command === 'add' ? ['stage', 'name', 'units', 'scope'] : ['stage'],
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const wantsId = command === 'remove';
  if (wantsId ? positionals.length !== 1 : positionals.length !== 0) {
    context.err(
      `clients: ${wantsId ? 'remove takes exactly one client_id' : `unexpected argument "${positionals[0]}"`}`,
    );
    return 2;
  }
  if (command === 'add') {
    const missing = ['name', 'units', 'scope'].filter((k) => values[k] === undefined);
    if (missing.length > 0) {
      context.err(
        `clients: add needs ${missing.map((k) => `--${k}`).join(', ')}\n${CLIENTS_USAGE.trimEnd()}`,
      );
      return 2;
    }
  }
  try {
    const { description, registry } = await context.resolve(values.stage);
    const giver = giverOf(context.actor);
    switch (command) {
      case 'add': {
        const { client, clientSecret } = await registry.addClient(giver, {
          name: values.name,
          units: splitUnits(values.units),
          scope: values.scope,
        });
        context.err(`added client "${client.name}" to the ${description}; the secret is shown this once`);
        if (values.stage !== undefined) {
          context.err(
            `note: API Gateway accepts this client's tokens once its id is in the authorizer's audience: add "${client.clientId}" to stageConfig.${values.stage}.machineClientAudience in cdk.json and deploy`,
          );
        }
        context.out(`client_id=${client.clientId}`);
        context.out(`client_secret=${clientSecret}`);
        return 0;
      }
      case 'list': {
        const clients = await registry.listClients(giver);
        context.err(`${clients.length} client(s) in the ${description}`);
        for (const line of textTable(
          ['CLIENT_ID', 'NAME', 'SCOPE', 'UNITS'],
          clients.map((c) => [c.clientId, c.name, c.scope, c.units.join(',')]),
        ))
          context.out(line);
        return 0;
      }
      default: {
        await registry.removeClient(giver, positionals[0] as string);
        context.out(`${positionals[0]} removed (${description})`);
        return 0;
      }
    }
  } catch (error) {
    return failure(context, 'clients', error);
  }
}
