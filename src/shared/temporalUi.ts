function namespaceUrl(uiBaseUrl: string, namespace: string): string {
  return `${uiBaseUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}`;
}

/** Deep link to one run in the Temporal Web UI. */
export function runUiUrl(uiBaseUrl: string, namespace: string, workflowId: string, runId: string): string {
  return `${namespaceUrl(uiBaseUrl, namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
}

/** The Temporal Web UI's Schedules page. */
export function schedulesUiUrl(uiBaseUrl: string, namespace: string): string {
  return `${namespaceUrl(uiBaseUrl, namespace)}/schedules`;
}

/** Deep link to one Schedule in the Temporal Web UI. */
export function scheduleUiUrl(uiBaseUrl: string, namespace: string, scheduleId: string): string {
  return `${schedulesUiUrl(uiBaseUrl, namespace)}/${encodeURIComponent(scheduleId)}`;
}

/** The Temporal Web UI's workflow list filtered by a list query, such as `EtlPipeline = 'orders'`. */
export function workflowsQueryUiUrl(uiBaseUrl: string, namespace: string, query: string): string {
  // Quotes encoded too: markdown and some chat tools end a link at a bare `'`.
  const encoded = encodeURIComponent(query).replace(/'/g, '%27');
  return `${namespaceUrl(uiBaseUrl, namespace)}/workflows?query=${encoded}`;
}
