/** What a messenger simulator received and the faults it can inject: shared by Slack and Telegram. */
import type { FaultSpec, HttpSimulator, RequestRecord } from "../shared/http-server.js";

export interface ReceivedMessage {
  /** Slack: the webhook's channel or `channel`; Telegram: `chat_id`. */
  chat: string;
  text: string;
  /** Epoch ms when it was accepted. */
  at: number;
}

export interface MessengerSimulator {
  readonly url: string;
  /** Messages accepted (rate-limited and refused ones are not), oldest first. */
  readonly messages: readonly ReceivedMessage[];
  readonly requests: readonly RequestRecord[];
  /** The next `count` sends are refused with the service's 429 asking to wait `seconds`. */
  rateLimit(count: number, seconds: number): void;
  injectFaults(spec: FaultSpec): void;
  clearFaults(): void;
  reset(): void;
  close(): Promise<void>;
}

export function messengerAdmin(
  http: HttpSimulator,
  messages: ReceivedMessage[],
  rateLimit: (count: number, seconds: number) => FaultSpec,
): MessengerSimulator {
  return {
    url: http.url,
    messages,
    get requests() {
      return http.requests;
    },
    rateLimit: (count, seconds) => http.injectFaults(rateLimit(count, seconds)),
    injectFaults: (spec) => http.injectFaults(spec),
    clearFaults: () => http.clearFaults(),
    reset() {
      messages.length = 0;
      http.clearFaults();
      http.resetRequests();
    },
    close: () => http.close(),
  };
}
