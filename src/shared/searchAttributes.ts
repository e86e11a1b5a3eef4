import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes: how runs are found in the Temporal UI and by `temporal workflow list`. */
export const searchAttributes = {
  pipeline: defineSearchAttributeKey('EtlPipeline', SearchAttributeType.KEYWORD),
  date: defineSearchAttributeKey('EtlDate', SearchAttributeType.DATETIME),
  trigger: defineSearchAttributeKey('EtlTrigger', SearchAttributeType.KEYWORD),
  step: defineSearchAttributeKey('EtlStep', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('EtlOutcome', SearchAttributeType.KEYWORD),
};

export const allSearchAttributes = Object.values(searchAttributes);

/** Set by Temporal on each run a Schedule starts: the time the run was scheduled for (built in, never registered). */
export const scheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** Set by Temporal on each run a Schedule starts: the id of that schedule (built in, never registered). */
export const scheduledById = defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD);

/** The `temporal server start-dev --search-attribute` / operator-service spelling of each key. */
export function searchAttributeDeclarations(): string[] {
  const typeNames: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime' };
  return allSearchAttributes.map((key) => `${key.name}=${typeNames[key.type]}`);
}
