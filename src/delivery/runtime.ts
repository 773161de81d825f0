/** The small runtime ports the delivery layer takes from its caller. */

/** Epoch milliseconds; injected so tests can move time without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** pino's shape (Probot's `app.log`): the object first, the message second. */
export interface Logger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** A thrown value as one line for a log or a check run. Tracker errors never carry tokens. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
