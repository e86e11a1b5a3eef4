import { z } from 'zod';

/**
 * A scripted answer to a request, so tests can see what a caller's retry does. `serverError` and
 * `dropConnection` come after the request was carried out (AWS applied a call whose answer never arrived);
 * `refuse` comes instead of carrying it out, as a throttled or overloaded service answers.
 */
export const faultSchema = z
  .strictObject({
    /** The X-Amz-Target of the requests it applies to, such as "AWSGlue.StartJobRun". */
    target: z.string().min(1),
    /**
     * `serverError`: carry it out, answer 500 InternalFailure; `dropConnection`: carry it out, close the connection
     * without answering; `refuse`: carry out nothing, answer `status` with the error type `error`.
     */
    answer: z.enum(['serverError', 'dropConnection', 'refuse']),
    /** For `refuse`: the error type, such as ThrottlingException or ConcurrentRunsExceededException. */
    error: z.string().min(1).optional(),
    /** For `refuse`: the HTTP status, 400 unless given (a 5xx for a service error the SDK retries as such). */
    status: z.number().int().min(400).max(599).optional(),
    /** How many of the next matching requests get this answer. */
    times: z.number().int().min(1).default(1),
  })
  .refine((fault) => (fault.answer === 'refuse') === (fault.error !== undefined), {
    message: 'a `refuse` fault names its `error` (such as ThrottlingException), and only a `refuse` fault does',
    path: ['error'],
  });

export const faultsRequestSchema = z.strictObject({ faults: z.array(faultSchema) });

/** What a test sends: `times` may be left out. */
export type Fault = z.input<typeof faultSchema>;
export type FaultAnswer = Fault['answer'];
/** A request refused as scripted: nothing was carried out. */
export interface Refusal {
  error: string;
  status: number;
}

/** The scripted faults still to be used; each matching request uses one. */
export class FaultScript {
  private pending: z.output<typeof faultSchema>[] = [];

  /** Replaces the script; an empty list turns faults off. */
  set(faults: z.output<typeof faultSchema>[]): void {
    this.pending = faults.map((fault) => ({ ...fault }));
  }

  /** How to refuse a request to `target` that has just arrived, if a refusal is scripted; it is then not carried out. */
  refusal(target: string): Refusal | undefined {
    const fault = this.use(target, (answer) => answer === 'refuse');
    return fault && { error: fault.error!, status: fault.status ?? 400 };
  }

  /** The answer for a request to `target` the service has just carried out, if one is scripted. */
  take(target: string): Exclude<FaultAnswer, 'refuse'> | undefined {
    return this.use(target, (answer) => answer !== 'refuse')?.answer as Exclude<FaultAnswer, 'refuse'> | undefined;
  }

  /** The faults not used up yet, with the times they have left. */
  unused(): Fault[] {
    return this.pending.filter((fault) => fault.times > 0).map((fault) => ({ ...fault }));
  }

  private use(target: string, kind: (answer: FaultAnswer) => boolean): z.output<typeof faultSchema> | undefined {
    const fault = this.pending.find((candidate) => candidate.target === target && candidate.times > 0 && kind(candidate.answer));
    if (fault) fault.times -= 1;
    return fault;
  }
}
