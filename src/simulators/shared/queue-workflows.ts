/**
 * The workflows of a simulator's queues/projects (one each, or the shared default), the ids
 * the workflow APIs give them, and Jira's numeric project ids: the part of the issue store
 * that knows no issue.
 */
import { resolveStatus, type SimStatus, type SimWorkflow, validateWorkflow } from "./workflow.js";

export class QueueWorkflows {
  protected workflows = new Map<string, SimWorkflow>();
  protected defaultWorkflowValue: SimWorkflow;
  private projectIds = new Map<string, string>();
  /** False: the workflow API answers 403, as when the token lacks the permission to read it. */
  workflowApi = true;

  constructor(private readonly makeDefaultWorkflow: () => SimWorkflow) {
    this.defaultWorkflowValue = makeDefaultWorkflow();
  }

  protected resetWorkflows(): void {
    this.workflows.clear();
    this.defaultWorkflowValue = this.makeDefaultWorkflow();
    this.workflowApi = true;
  }

  /** The id the workflow API gives the queue's workflow: its own, or the shared default. */
  workflowId(queue: string): string {
    return this.workflows.has(queue) ? `wf-${queue}` : "default";
  }

  workflowById(id: string): SimWorkflow | undefined {
    if (id === "default") return this.defaultWorkflowValue;
    return id.startsWith("wf-") ? this.workflows.get(id.slice(3)) : undefined;
  }

  /** Every status of every workflow, once per key (Yandex `GET /v2/statuses`). */
  allStatuses(): SimStatus[] {
    const byKey = new Map<string, SimStatus>();
    for (const workflow of [this.defaultWorkflowValue, ...this.workflows.values()]) {
      for (const status of workflow.statuses)
        if (!byKey.has(status.key)) byKey.set(status.key, status);
    }
    return [...byKey.values()];
  }

  /** Jira's numeric project id for a project key, stable for the simulator's life. */
  projectId(queue: string): string {
    let id = this.projectIds.get(queue);
    if (id === undefined) {
      id = String(10000 + this.projectIds.size);
      this.projectIds.set(queue, id);
    }
    return id;
  }

  /** The project key of a Jira project id. */
  projectById(id: string): string | undefined {
    for (const [queue, known] of this.projectIds) if (known === id) return queue;
    return undefined;
  }

  /** Without `queue`, replaces the workflow of every queue that has none of its own. */
  setWorkflow(workflow: SimWorkflow, queue?: string): void {
    validateWorkflow(workflow);
    const copy = structuredClone(workflow);
    if (queue) this.workflows.set(queue, copy);
    else this.defaultWorkflowValue = copy;
  }

  workflowFor(queue: string): SimWorkflow {
    return this.workflows.get(queue) ?? this.defaultWorkflowValue;
  }

  statusByKey(queue: string, key: string): SimStatus {
    return this.statusRef(this.workflowFor(queue), key);
  }

  protected statusRef(workflow: SimWorkflow, ref: string | undefined): SimStatus {
    const status = ref === undefined ? workflow.statuses[0] : resolveStatus(workflow, ref);
    if (!status) throw new Error(`status "${ref}" is not in the workflow`);
    return status;
  }
}
