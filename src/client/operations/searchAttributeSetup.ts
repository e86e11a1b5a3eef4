import type { ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { encodeSearchAttributeIndexedValueType } from './indexedValueType';
import { allSearchAttributes } from '../../shared/searchAttributes';

const { IndexedValueType } = temporal.api.enums.v1;
type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

export interface SearchAttributeSetup {
  /** Declarations such as `EtlPipeline=Keyword`, registered by this call. */
  added: string[];
  /** Declarations that were already registered with the right type. */
  found: string[];
}

/** The project's search attributes as the operator service spells them: name -> indexed value type. */
export function indexedSearchAttributes(): Record<string, IndexedValueType> {
  return Object.fromEntries(allSearchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)]));
}

/**
 * Registers the project's custom search attributes on the namespace, adding only the missing ones, so
 * running it again changes nothing. Needs the operator service (self-hosted clusters, the dev server).
 */
export async function registerSearchAttributes(connection: ConnectionLike, namespace: string): Promise<SearchAttributeSetup> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const setup: SearchAttributeSetup = { added: [], found: [] };
  const missing: Record<string, IndexedValueType> = {};
  for (const [name, wanted] of Object.entries(indexedSearchAttributes())) {
    const existing = customAttributes[name];
    if (existing === undefined) {
      missing[name] = wanted;
      setup.added.push(declaration(name, wanted));
    } else if (existing === wanted) {
      setup.found.push(declaration(name, wanted));
    } else {
      // Temporal cannot change a search attribute's type; a person must decide what to do with the old one.
      throw new Error(
        `search attribute ${name} exists on namespace ${namespace} as ${typeName(existing)}, but the pipelines need ` +
          `${typeName(wanted)}: a type cannot be changed, so remove it (temporal operator search-attribute remove) and run \`etl setup\` again`,
      );
    }
  }
  if (setup.added.length) await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  return setup;
}

function declaration(name: string, type: IndexedValueType): string {
  return `${name}=${typeName(type)}`;
}

/** `INDEXED_VALUE_TYPE_KEYWORD_LIST` -> `KeywordList`, the spelling of `temporal operator search-attribute`. */
function typeName(type: IndexedValueType): string {
  return IndexedValueType[type]
    .replace('INDEXED_VALUE_TYPE_', '')
    .toLowerCase()
    .replace(/(^|_)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
