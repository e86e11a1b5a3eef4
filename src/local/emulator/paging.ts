import { AwsError } from './protocol';

export interface PageRequest {
  NextToken?: string;
  MaxResults?: number;
}

/**
 * One page of `items`. The token is the id of the last item returned, so items added to the front
 * of a newest-first list between calls neither repeat nor hide older ones.
 */
export function pageOf<T>(items: T[], idOf: (item: T) => string, request: PageRequest, invalidInputType: string): { page: T[]; nextToken?: string } {
  const maxResults = request.MaxResults ?? 100;
  if (!Number.isInteger(maxResults) || maxResults < 1) throw new AwsError(invalidInputType, 'MaxResults must be a positive integer.');
  let start = 0;
  if (request.NextToken !== undefined) {
    const after = items.findIndex((item) => idOf(item) === request.NextToken);
    if (after < 0) throw new AwsError(invalidInputType, `NextToken ${request.NextToken} is not valid for this listing.`);
    start = after + 1;
  }
  const page = items.slice(start, start + maxResults);
  const hasMore = start + maxResults < items.length;
  return { page, nextToken: hasMore ? idOf(page[page.length - 1]) : undefined };
}
