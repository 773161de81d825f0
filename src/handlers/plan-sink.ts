/**
 * Collects what the Probot handlers planned for one delivery. Probot handlers return
 * nothing, so the worker opens a slot for the delivery id, runs `probot.receive`, and takes
 * the slot's submissions to commit them in one transaction.
 */
import type { Probot } from "probot";
import type { PlanSubmission } from "../delivery/types.js";

export class PlanSink {
  readonly #open = new Map<string, PlanSubmission[]>();

  async collect(deliveryId: string, run: () => Promise<void>): Promise<PlanSubmission[]> {
    const slot: PlanSubmission[] = [];
    this.#open.set(deliveryId, slot);
    try {
      await run();
      return slot;
    } finally {
      this.#open.delete(deliveryId);
    }
  }

  submit(submission: PlanSubmission): void {
    const slot = this.#open.get(submission.deliveryId);
    if (!slot) throw new Error(`no delivery ${submission.deliveryId} is being planned`);
    slot.push(submission);
  }
}

/** Runs the App's handlers on one delivery and returns what they planned (nothing is recorded). */
export function planWithApp(probot: Pick<Probot, "receive">, sink: PlanSink) {
  return (id: string, name: string, payload: unknown): Promise<PlanSubmission[]> =>
    sink.collect(id, () => probot.receive({ id, name, payload } as never));
}
