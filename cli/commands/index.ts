/** The command table: top-level commands, then groups of `kyoyu GROUP VERB` in the order help lists them. */
import type { Command, CommandGroup } from '../command';
import { alertCommands, subscriptionCommands } from './alerts';
import { auditCommands } from './audit';
import { collectionCommands } from './collection';
import { exportCommand } from './export';
import { attachmentCommands, sampleCommands } from './files';
import { grantCommands } from './grant';
import { groupCommands } from './group';
import { ingest } from './ingest';
import { keyCommands } from './key';
import { memberCommands } from './member';
import { moderationCommands, reviewCommands } from './moderation';
import { supportCommands, takedownCommands } from './requests';
import { flagCommands } from './flag';
import { dlqCommands, stats } from './pipeline';
import { profileCommands } from './profile';
import { registryCommands } from './registry';
import { reindex, search } from './search';
import { status } from './status';
import { tenantCommands } from './tenant';
import { userCommands } from './user';

export const TOP: Record<string, Command> = { ingest, search, reindex, export: exportCommand, status, stats };

export const COMMANDS: Record<string, CommandGroup> = {
  profile: profileCommands,
  tenant: tenantCommands,
  member: memberCommands,
  user: userCommands,
  key: keyCommands,
  group: groupCommands,
  collection: collectionCommands,
  grant: grantCommands,
  registry: registryCommands,
  moderation: moderationCommands,
  review: reviewCommands,
  takedown: takedownCommands,
  support: supportCommands,
  flag: flagCommands,
  subscription: subscriptionCommands,
  alert: alertCommands,
  dlq: dlqCommands,
  audit: auditCommands,
  attachment: attachmentCommands,
  sample: sampleCommands,
};
