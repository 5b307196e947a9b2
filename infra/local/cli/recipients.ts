/**
 * `npm run recipients -- <command>`: the leaders' registry, through the same service
 * as the HTTP API (shared/services/recipients.ts RecipientRegistry). Acts on the running local system
 * (its DynamoDB Local; no SNS there, the local SNS stand-in reads the registry) or, with
 * `--stage <name>`, on a deployed stage: its Campaign table and its alerts topic (stack outputs),
 * creating and changing the SNS subscriptions.
 */

import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  localSubscriptions,
  SnsSubscriptions,
  type SubscriptionManager,
} from '../../../shared/alerts/subscriptions.js';
import {
  type Recipient,
  RecipientInput,
  type RecipientInputRaw,
} from '../../../shared/schemas/recipients.js';
import { RecipientRegistry } from '../../../shared/services/recipients.js';
import {
  DynamoRecipientStore,
  type RecipientStore,
  RegistryError,
} from '../../../shared/store/recipient-store.js';
import {
  campaignIdsOf,
  commandLineSpec,
  invalidOptions,
  missingOptions,
  type RegistryStores,
  registryCli,
  registryCliContext,
  resolveRegistryStores,
  runWhenExecuted,
} from './command-line.js';
import { CliError, stackName } from './target.js';
import { textTable } from './text-table.js';

const USAGE = `usage: npm run recipients -- <command> [--stage <name>]

  add --campaign <id> --unit <id> --name <name> [--sms <E.164>] [--email <address>]
      [--lang vi|en] [--min-severity at_risk|critical]
      Register a leader of a unit (at least one of --sms, --email). A Vietnamese number may be
      written 0912345678 (it is stored as +84912345678). Prints the new recipient's id.
  list [--campaign <id>] [--unit <id>]
      Print the registry as a table (every campaign when --campaign is left out).
  update <recipientId> [--campaign <id>] [--unit <id>] [--name <name>] [--sms <E.164>|none]
      [--email <address>|none] [--lang vi|en] [--min-severity at_risk|critical]
      Change a recipient; "none" drops a channel.
  remove <recipientId> [--campaign <id>]
      Delete a recipient (and its SNS subscriptions on a stage).

  --campaign may be left out of update and remove: the recipient is looked for in every campaign.
  Without --stage the command acts on the running local system (npm start).
`;

/** What a command works on: the registry of the local system or of a stage. */
export type RegistryTarget = RegistryStores<'recipients', RecipientStore> & {
  readonly subscriptions: SubscriptionManager;
};

/** The stack output that carries the alerts topic's ARN. */
export const ALERTS_TOPIC_OUTPUT = 'AlertsTopicArn';

export async function alertsTopicArn(
  stage: string,
  cloudFormation: CloudFormationClient = new CloudFormationClient({}),
): Promise<string> {
  const name = stackName(stage);
  let arn: string | undefined;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
    arn = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === ALERTS_TOPIC_OUTPUT)?.OutputValue;
  } catch (error) {
    throw new CliError(`Could not read the outputs of stack ${name}: ${(error as Error).message}`);
  }
  if (!arn) throw new CliError(`Stack ${name} has no output ${ALERTS_TOPIC_OUTPUT}; is it deployed?`);
  return arn;
}

export async function resolveRegistryTarget(stage: string | undefined): Promise<RegistryTarget> {
  return {
    ...(await resolveRegistryStores(stage, 'recipients', (db, table) => new DynamoRecipientStore(db, table))),
    subscriptions:
      stage === undefined
        ? localSubscriptions
        : new SnsSubscriptions(new SNSClient({}), await alertsTopicArn(stage)),
  };
}

const COMMAND_LINE = commandLineSpec('recipients', USAGE, {
  add: { options: ['stage', 'campaign', 'unit', 'name', 'sms', 'email', 'lang', 'min-severity'] },
  list: { options: ['stage', 'campaign', 'unit'] },
  update: {
    options: ['stage', 'campaign', 'unit', 'name', 'sms', 'email', 'lang', 'min-severity'],
    id: 'recipient id',
  },
  remove: { options: ['stage', 'campaign'], id: 'recipient id' },
});

type Values = { [K in keyof typeof COMMAND_LINE.options]?: string };

/** Exit codes: 0 done, 1 the system said no (or is not running), 2 the command line is wrong. */
export const runRecipientsCli = registryCli(
  COMMAND_LINE,
  registryCliContext(resolveRegistryTarget),
  ({ command, values, id: positional }, usageError, context) => {
    if (command === 'add') {
      const missing = missingOptions(command, values, ['campaign', 'unit', 'name']);
      if (missing) return usageError(missing);
      if (values.sms === undefined && values.email === undefined) {
        return usageError('add needs --sms, --email or both');
      }
    }

    return async (target, catalog) => {
      const registry = new RecipientRegistry({
        store: target.recipients,
        catalog,
        subscriptions: target.subscriptions,
      });
      switch (command) {
        case 'add': {
          const input = parse(fromOptions(values));
          const campaignId = values.campaign as string;
          const { recipient, notes } = await registry.add(campaignId, input, context.actor);
          context.err(
            `added to the registry of the ${target.description}: ${recipient.name}, leader of unit ${recipient.unitId} in ${campaignId} (${channelsOf(recipient)}); its id:`,
          );
          for (const note of notes) context.err(`note: ${note}`);
          context.out(recipient.id);
          return 0;
        }
        case 'list': {
          const rows: Recipient[] = [];
          for (const campaignId of await campaignIdsOf(target.campaigns, values.campaign))
            rows.push(...(await registry.list(campaignId, values.unit)));
          context.err(`${rows.length} recipient(s) in the ${target.description}`);
          for (const row of recipientTable(rows, { campaign: values.campaign === undefined }))
            context.out(row);
          return 0;
        }
        case 'update': {
          const id = positional as string;
          const previous = await find(registry, target, id, values.campaign);
          const raw: RecipientInputRaw = {
            unitId: values.unit ?? previous.unitId,
            name: values.name ?? previous.name,
            lang: (values.lang ?? previous.lang) as RecipientInputRaw['lang'],
            minSeverity: (values['min-severity'] ?? previous.minSeverity) as RecipientInputRaw['minSeverity'],
          };
          const sms = channelValue(values.sms, previous.sms);
          const email = channelValue(values.email, previous.email);
          if (sms !== undefined) raw.sms = sms;
          if (email !== undefined) raw.email = email;
          const { recipient, notes } = await registry.update(previous.campaignId, id, parse(raw));
          context.err(`updated in the registry of the ${target.description}`);
          for (const note of notes) context.err(`note: ${note}`);
          for (const row of recipientTable([recipient], { campaign: false })) context.out(row);
          return 0;
        }
        case 'remove': {
          const id = positional as string;
          const recipient = await find(registry, target, id, values.campaign);
          const { notes } = await registry.remove(recipient.campaignId, id);
          for (const note of notes) context.err(`note: ${note}`);
          context.out(
            `removed ${id} (${recipient.name}, unit ${recipient.unitId}) from the ${target.description}`,
          );
          return 0;
        }
      }
    };
  },
);

function fromOptions(values: Values): RecipientInputRaw {
  return {
    unitId: values.unit as string,
    name: values.name as string,
    ...(values.sms !== undefined && { sms: values.sms }),
    ...(values.email !== undefined && { email: values.email }),
    ...(values.lang !== undefined && { lang: values.lang as RecipientInputRaw['lang'] }),
    ...(values['min-severity'] !== undefined && {
      minSeverity: values['min-severity'] as RecipientInputRaw['minSeverity'],
    }),
  };
}

/** A recipient's channels as the console says them: "sms +84912345678, email …". */
function channelsOf(recipient: Recipient): string {
  const channels: string[] = [];
  if (recipient.sms !== undefined) channels.push(`sms ${recipient.sms}`);
  if (recipient.email !== undefined) channels.push(`email ${recipient.email}`);
  return channels.join(', ');
}

/** update: an option replaces the channel, "none" drops it, no option keeps it. */
function channelValue(option: string | undefined, previous: string | undefined): string | undefined {
  if (option === undefined) return previous;
  return option === 'none' ? undefined : option;
}

const OPTION_OF: Record<string, string> = {
  unitId: '--unit',
  name: '--name',
  sms: '--sms',
  email: '--email',
  lang: '--lang',
  minSeverity: '--min-severity',
};

function parse(raw: RecipientInputRaw) {
  const parsed = RecipientInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw invalidOptions(parsed.error.issues, (field) => OPTION_OF[field] ?? field);
}

async function find(
  registry: RecipientRegistry,
  target: RegistryTarget,
  id: string,
  campaignId: string | undefined,
): Promise<Recipient> {
  for (const cid of await campaignIdsOf(target.campaigns, campaignId)) {
    const recipient = await registry.get(cid, id);
    if (recipient) return recipient;
  }
  throw new RegistryError(
    'not_found',
    `no recipient ${id} ${campaignId ? `in campaign ${campaignId}` : 'in any campaign'} of the ${target.description}`,
  );
}

/** The registry as an aligned text table. */
export function recipientTable(recipients: readonly Recipient[], options: { campaign: boolean }): string[] {
  // Subscriptions exist only on a stage (locally the SNS stand-in reads the registry): a column then.
  const subscribed = (r: Recipient) =>
    (['sms', 'email'] as const).filter((c) => r.subscriptions[c] !== undefined).join('+') || '-';
  const withSns = recipients.some((r) => subscribed(r) !== '-');
  const header = [
    ...(options.campaign ? ['CAMPAIGN'] : []),
    'ID',
    'UNIT',
    'NAME',
    'SMS',
    'EMAIL',
    'LANG',
    'MIN SEVERITY',
    ...(withSns ? ['SNS'] : []),
  ];
  const rows = recipients.map((r) => [
    ...(options.campaign ? [r.campaignId] : []),
    r.id,
    r.unitId,
    r.name,
    r.sms ?? '-',
    r.email ?? '-',
    r.lang,
    r.minSeverity,
    ...(withSns ? [subscribed(r)] : []),
  ]);
  return textTable(header, rows);
}

await runWhenExecuted(import.meta.url, (args) => runRecipientsCli(args));
