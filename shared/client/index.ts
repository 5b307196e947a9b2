/** The intake client for app developers: see intake-client.ts for usage. */
export {
  ClientCredentialsError,
  type ClientCredentialsOptions,
  clientCredentials,
  type TokenSource,
} from './client-credentials.js';
export {
  type CorrectionEventInput,
  correct,
  type FetchLike,
  IntakeAuthError,
  IntakeClient,
  IntakeClientError,
  type IntakeClientOptions,
  type IntakeEventInput,
  type IntakeOutcome,
  type IntakeOutcomeStatus,
  isStored,
  MAX_EVENTS_PER_REQUEST,
  newEventId,
  type QueuedEvent,
} from './intake-client.js';
