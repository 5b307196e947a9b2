/**
 * Users and machine clients, as an administrator gives them (CLI flags or HTTP bodies). `units`
 * is an array of grants, `scope` the space-separated scope names. Whether each grant and scope
 * may be given is checked against the stored campaigns and the giver's own grants
 * (shared/domain/identity.ts grantProblems), after this shape check.
 */
import * as z from 'zod';
import { hasControlCharacters } from '../util/text.js';
import { ID_RULES, registerIdSchema } from './ids.js';
import { lazyObject, lazySchema } from './lazy.js';

const Name = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'at most 100 characters')
    .refine((s) => !hasControlCharacters(s), 'must not contain control characters (line breaks, tabs…)'),
);

/** A user's e-mail address, as a path parameter or in a body: stored lowercase. */
export const UserEmail = lazySchema(() =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email('must be an e-mail address').max(254, 'at most 254 characters')),
);

/** A machine client's id (Cognito: 26 lowercase letters and digits; locally likewise generated). */
export const ClientId = lazySchema(() =>
  z.string().regex(ID_RULES.clientId.pattern, ID_RULES.clientId.message),
);
const Units = lazySchema(() => z.array(z.string().trim()).max(100, 'at most 100 grants'));
const ScopeText = lazySchema(() => z.string().max(200, 'at most 200 characters'));

/** What a user and a machine client are both given: a name, unit grants and scopes. */
const Granted = lazyObject(() => ({ name: Name, units: Units, scope: ScopeText }));

export const UserInput = lazySchema(() => z.strictObject({ email: UserEmail, ...Granted }));
export type UserInput = z.infer<typeof UserInput>;

export const ClientInput = lazySchema(() => z.strictObject({ ...Granted }));
export type ClientInput = z.infer<typeof ClientInput>;

/** What was given, as listed. */
const GrantedView = lazyObject(() => ({ name: z.string(), units: z.array(z.string()), scope: z.string() }));

/** Who registered it, and when. */
const CreatedView = lazyObject(() => ({ createdAt: z.string(), createdBy: z.string() }));

/** A user as listed (no password hash). */
export const UserView = lazySchema(() =>
  z.object({
    email: z.string(),
    sub: z.string(),
    ...GrantedView,
    disabled: z.boolean(),
    ...CreatedView,
    updatedAt: z.string(),
  }),
);
export type UserView = z.infer<typeof UserView>;

export const ClientView = lazySchema(() =>
  z.object({
    clientId: z.string(),
    ...GrantedView,
    ...CreatedView,
  }),
);
export type ClientView = z.infer<typeof ClientView>;

export { scopeNames } from './values.js';

registerIdSchema('email', UserEmail);
