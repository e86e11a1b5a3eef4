/**
 * Validation, starting outside work, and the one-activity Glue, load and refresh steps of runs started before
 * waiting held no slot heartbeat this often whatever they are doing, so a worker that dies is noticed within
 * their heartbeat timeout and the step resumes on another worker.
 */
export const waitingHeartbeatEveryMs = 5_000;

/**
 * The heartbeat timeout of validation and the waiting steps unless their config sets one: how long a dead worker
 * holds up the run. It bounds validation, starting the outside work, each check of it, and the one-activity steps
 * of earlier runs.
 */
export const waitingHeartbeatTimeout = '20s';

/** Below this a busy worker, between a slow poll and the next heartbeat, would time out steps that are alive. */
export const shortestWaitingHeartbeatTimeoutMs = 2 * waitingHeartbeatEveryMs;
