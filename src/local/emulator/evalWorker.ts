import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a JavaScript source string, answering one reply per request.
 *
 * Why a thread from a source string: PGlite and hyparquet load modules with dynamic import() (hyparquet is
 * ES modules only), which jest's module sandbox refuses; tests run the emulator in-process. A thread started
 * from eval'd source is outside the sandbox, in the emulator and in tests alike. The source must answer each
 * `{ id, request }` message with `{ id, reply }` or `{ id, error }`, the error a plain object with a message.
 */
export class EvalWorker<Request, Reply> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure?: Error;

  constructor(name: string, source: string, workerData: unknown) {
    this.worker = new Worker(source, { eval: true, workerData, name });
    this.worker.on('message', ({ id, reply, error }: { id: number; reply?: Reply; error?: { message: string } }) => {
      const caller = this.pending.get(id);
      this.pending.delete(id);
      // Sent as a plain object: a thrown Error would lose its extra fields (such as PostgreSQL's code) on the way.
      if (error) caller?.reject(Object.assign(new Error(error.message), error));
      else caller?.resolve(reply as Reply);
    });
    this.worker.on('error', (error) => this.fail(new Error(`the ${name} thread failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`the ${name} thread exited (code ${code})`)));
    // An idle worker does not keep the process alive; a pending request does, through its caller.
    this.worker.unref();
  }

  request(request: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request }, transfer);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const caller of this.pending.values()) caller.reject(this.failure);
    this.pending.clear();
  }
}
