import { z } from 'zod';

/**
 * A request the emulator carries out and then answers as if it had failed, so tests can see what a
 * caller's retry does when AWS applied a call whose answer never arrived.
 */
export const faultSchema = z.strictObject({
  /** The X-Amz-Target of the requests it applies to, such as "AWSGlue.StartJobRun". */
  target: z.string().min(1),
  /** `serverError`: answer 500 InternalFailure; `dropConnection`: close the connection without answering. */
  answer: z.enum(['serverError', 'dropConnection']),
  /** How many of the next accepted requests to that target get this answer. */
  times: z.number().int().min(1).default(1),
});

export const faultsRequestSchema = z.strictObject({ faults: z.array(faultSchema) });

/** What a test sends: `times` may be left out. */
export type Fault = z.input<typeof faultSchema>;
export type FaultAnswer = Fault['answer'];

/** The scripted faults still to be used; each accepted matching request uses one. */
export class FaultScript {
  private pending: z.output<typeof faultSchema>[] = [];

  /** Replaces the script; an empty list turns faults off. */
  set(faults: z.output<typeof faultSchema>[]): void {
    this.pending = faults.map((fault) => ({ ...fault }));
  }

  /** The answer for a request to `target` the emulator has just carried out, if one is scripted. */
  take(target: string): FaultAnswer | undefined {
    const fault = this.pending.find((candidate) => candidate.target === target && candidate.times > 0);
    if (!fault) return undefined;
    fault.times -= 1;
    return fault.answer;
  }
}
