/** Deep link to one run in the Temporal Web UI. */
export function runUiUrl(uiBaseUrl: string, namespace: string, workflowId: string, runId: string): string {
  const base = uiBaseUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
}
