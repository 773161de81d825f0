/**
 * Request Tracker's "default" lifecycle as RT ships it (etc/RT_Config.pm): its statuses in
 * RT's three groups, and its actions, the status changes RT offers as `_hyperlinks` with
 * `ref: "lifecycle"`. REST2 names a queue's lifecycle (`Lifecycle`) but does not serve its
 * definition, so a queue on "default" is routed on this graph; any other lifecycle on what
 * the tickets' hyperlinks showed.
 */
export const DEFAULT_LIFECYCLE = {
  initial: ["new"],
  active: ["open", "stalled"],
  inactive: ["resolved", "rejected", "deleted"],
  /** [from, to, label] */
  actions: [
    ["new", "open", "Open It"],
    ["new", "resolved", "Resolve"],
    ["new", "rejected", "Reject"],
    ["new", "deleted", "Delete"],
    ["open", "stalled", "Stall"],
    ["open", "resolved", "Resolve"],
    ["open", "rejected", "Reject"],
    ["stalled", "open", "Open It"],
    ["resolved", "open", "Re-open"],
    ["rejected", "open", "Re-open"],
    ["deleted", "open", "Undelete"],
  ],
} as const;
