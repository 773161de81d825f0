/**
 * The worker thread's messages to the main thread, posted once per turn of its event loop:
 * each tracker or GitHub answer makes two or three small messages (the request's timing, the
 * connection's state or the rate limit, maybe a log line), and a postMessage costs far more
 * than such a message's content. Order is kept; `flush` posts what waits at once, for an
 * answer the main thread waits on and for a thread that stops or dies.
 *
 * @example
 * const outbox = batchMessages<FromWorker>((batch) => port.postMessage(batch));
 * outbox.send({ type: "log", line }); // posted with the rest of this turn's messages
 */
export function batchMessages<T>(post: (batch: T[]) => void): {
  send(message: T): void;
  flush(): void;
} {
  let waiting: T[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    post(batch);
  };
  return {
    send(message) {
      waiting.push(message);
      if (scheduled) return;
      scheduled = true;
      setImmediate(flush);
    },
    flush,
  };
}
