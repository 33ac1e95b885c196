"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { Thread } from "@/components/thread";
import { useRequireSession } from "@/lib/use-session";

export default function ConversationPage() {
  const { id } = useParams<{ id: string }>();
  const { t, session } = useRequireSession();
  if (!session) return <p>{t.needLogin}</p>;
  return (
    <section className="narrow">
      <p><Link href="/mensajes">← {t.messages}</Link></p>
      <h1>{t.inquiry}</h1>
      <Thread source={{ conversationId: id }} />
    </section>
  );
}
