/**
 * Published key-finding regular expressions of comparable tools, as their sources have them,
 * and how each one's matches become keys. They are run as-is: each tool does more after the
 * regex (github-for-jira and gajira ask Jira whether the issue exists, Linear checks team
 * keys), which costs API calls this comparison does not count.
 */

export interface PeerExtractor {
  name: string;
  source: string;
  regex: RegExp;
  /** The capture group that holds the key. */
  group: number;
}

export const PEERS: readonly PeerExtractor[] = [
  {
    name: "github-for-jira",
    source: "atlassian/github-for-jira, jira-issue-keys",
    regex: /(^|[^A-Z\d])([A-Z][A-Z\d]{1,255}-[1-9]\d{0,255})(?=$|[^A-Z\d])/giu,
    group: 2,
  },
  {
    name: "Linear",
    source: "Linear's GitHub integration (published branch/title pattern)",
    regex: /(?:^|\b|(?<=_))((\w{1,7})-([0-9]{1,9}))(?:$|\b|(?=_))(?!\.\d)/gi,
    group: 1,
  },
  {
    name: "gajira-find-issue-key",
    source: "atlassian/gajira-find-issue-key",
    regex: /([a-zA-Z0-9]+-[0-9]+)/g,
    group: 1,
  },
];

/** Every key the peer's regex finds in `texts`, upper-cased, de-duplicated. */
export function peerKeys(peer: PeerExtractor, texts: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(peer.regex)) {
      const key = match[peer.group];
      if (key) keys.add(key.toUpperCase());
    }
  }
  return keys;
}
