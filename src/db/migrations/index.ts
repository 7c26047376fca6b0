import type { Migration } from './types.js';
import { migration as m0001 } from './0001-foundation.js';
import { migration as m0002 } from './0002-messaging-core.js';
import { migration as m0003 } from './0003-webhooks.js';
import { migration as m0004 } from './0004-contacts-consent.js';
import { migration as m0005 } from './0005-templates.js';
import { migration as m0006 } from './0006-outbound.js';
import { migration as m0007 } from './0007-lookup-indexes.js';
import { migration as m0008 } from './0008-personal-data-at-rest.js';
import { migration as m0009 } from './0009-number-claims-event-order.js';
import { migration as m0010 } from './0010-sender-health.js';
import { migration as m0011 } from './0011-ultramsg-ack-matching.js';
import { migration as m0012 } from './0012-refusal-codes.js';
import { migration as m0013 } from './0013-message-lane.js';
import { migration as m0014 } from './0014-sender-settings.js';
import { migration as m0015 } from './0015-audit.js';
import { migration as m0016 } from './0016-users.js';
import { migration as m0017 } from './0017-conversations.js';
import { migration as m0018 } from './0018-sla-and-metrics.js';
import { migration as m0019 } from './0019-conversation-replies.js';
import { migration as m0020 } from './0020-conversation-surveys.js';
import { migration as m0021 } from './0021-assignment.js';
import { migration as m0022 } from './0022-bot.js';
import { migration as m0023 } from './0023-stream-notices.js';
import { migration as m0024 } from './0024-media-uploads.js';
import { migration as m0025 } from './0025-search.js';
import { migration as m0026 } from './0026-search-term-lookups.js';

/** Every migration, by number. Append only. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-messaging-core': m0002,
  '0003-webhooks': m0003,
  '0004-contacts-consent': m0004,
  '0005-templates': m0005,
  '0006-outbound': m0006,
  '0007-lookup-indexes': m0007,
  '0008-personal-data-at-rest': m0008,
  '0009-number-claims-event-order': m0009,
  '0010-sender-health': m0010,
  '0011-ultramsg-ack-matching': m0011,
  '0012-refusal-codes': m0012,
  '0013-message-lane': m0013,
  '0014-sender-settings': m0014,
  '0015-audit': m0015,
  '0016-users': m0016,
  '0017-conversations': m0017,
  '0018-sla-and-metrics': m0018,
  '0019-conversation-replies': m0019,
  '0020-conversation-surveys': m0020,
  '0021-assignment': m0021,
  '0022-bot': m0022,
  '0023-stream-notices': m0023,
  '0024-media-uploads': m0024,
  '0025-search': m0025,
  '0026-search-term-lookups': m0026,
};
