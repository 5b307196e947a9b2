/**
 * Publishing alerts: the port every job publishes through (SNS adapter, local SNS stand-in). The
 * message's vocabulary lives in shared/vocabulary/alerts.ts and is re-exported here.
 */
import type { AlertMessage } from '../vocabulary/alerts.js';

export {
  type AlertAttributes,
  type AlertMessage,
  CONTACT_CHANNELS,
  type ContactChannel,
  DELIVERY_CHANNELS,
  type DeliveryChannel,
  LANGUAGES,
  type Language,
  MESSAGE_KINDS,
  type MessageKind,
  SEVERITIES,
  type Severity,
} from '../vocabulary/alerts.js';

export interface AlertPublisher {
  publish(message: AlertMessage): Promise<{ readonly messageId: string }>;
}
