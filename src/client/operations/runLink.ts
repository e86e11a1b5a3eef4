import { runUiUrl } from '../../shared/temporalUi';

/** Where the Temporal UI is and which namespace it shows: a Target has both. */
export interface RunLinks {
  uiUrl?: string;
  namespace: string;
}

/** The run's page in the Temporal UI, when the UI's address is known. */
export function runLink(uiUrl: string | undefined, namespace: string, run: { workflowId: string; runId: string }): string | undefined {
  return uiUrl && runUiUrl(uiUrl, namespace, run.workflowId, run.runId);
}
