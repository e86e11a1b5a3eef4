import type { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * The operator service's IndexedValueType for a search attribute type: KEYWORD is INDEXED_VALUE_TYPE_KEYWORD, and
 * so on for every type. The SDK's own mapping is internal to it.
 */
export function encodeSearchAttributeIndexedValueType(type: SearchAttributeType): temporal.api.enums.v1.IndexedValueType {
  return temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
}
