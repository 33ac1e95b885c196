"use client";

import { AccountForm } from "@/components/account-form";
import { DataExportSection } from "@/components/data-export";
import { DeleteAccountSection } from "@/components/delete-account";
import { useRequireSession } from "@/lib/use-session";

export default function MyDataPage() {
  const { t, session } = useRequireSession();
  if (!session) return <p>{t.needLogin}</p>;
  return (
    <section className="narrow">
      <h1>{t.myData}</h1>
      <p>{t.myDataIntro}</p>
      <AccountForm />
      <DataExportSection />
      <DeleteAccountSection />
    </section>
  );
}
