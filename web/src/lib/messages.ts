import type { Schemas } from "@/api/client";

type Message = Schemas["Message"];

/**
 * The API pages a thread newest first; people read it oldest first. A message posted here may also come
 * back in the next poll, so ids are kept once.
 */
export function inReadingOrder(...batches: Message[][]): Message[] {
  const byId = new Map<string, Message>();
  for (const message of batches.flat()) byId.set(message.id ?? "", message);
  return [...byId.values()].sort((a, b) => (a.at ?? "").localeCompare(b.at ?? "") || (a.id ?? "").localeCompare(b.id ?? ""));
}

/** Who wrote it, as the reader sees it: "you" for one's own messages, the side otherwise. */
export function authorLabel(message: Message, t: { you: string; side_buyer: string; side_seller: string; side_staff: string }): string {
  if (message.mine) return t.you;
  if (message.author === "seller") return t.side_seller;
  if (message.author === "staff") return t.side_staff;
  return t.side_buyer;
}

/** The page a conversation of the list opens: an order's thread lives on the order's page. */
export function conversationHref(conversation: Schemas["Conversation"]): string {
  return conversation.kind === "order" && conversation.order_id
    ? `/pedidos/${conversation.order_id}`
    : `/mensajes/${conversation.id}`;
}
