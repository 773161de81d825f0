/**
 * Just enough Atlassian Document Format for comment bodies on Jira REST v3: paragraphs of
 * text with hard breaks. The adapter has its own converter; keeping this one separate means
 * a bug in one does not hide in the other.
 */

interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
}

export function isAdfDoc(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const doc = value as Record<string, unknown>;
  return doc.type === "doc" && doc.version === 1 && Array.isArray(doc.content);
}

/** Blocks become paragraphs separated by a blank line; `hardBreak` becomes "\n". */
export function adfToText(doc: unknown): string {
  const blocks = ((doc as AdfNode).content ?? []).map(inlineText);
  return blocks.join("\n\n");
}

function inlineText(node: AdfNode): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  const children = node.content ?? [];
  const isBlockContainer = children.some((c) => c.type === "paragraph" || c.type === "listItem");
  return children.map(inlineText).join(isBlockContainer ? "\n" : "");
}

export function textToAdf(text: string): unknown {
  return {
    type: "doc",
    version: 1,
    content: text.split(/\n{2,}/).map((paragraph) => ({
      type: "paragraph",
      content: paragraph.split("\n").flatMap((line, i) => {
        const nodes: AdfNode[] = i > 0 ? [{ type: "hardBreak" }] : [];
        if (line !== "") nodes.push({ type: "text", text: line });
        return nodes;
      }),
    })),
  };
}
