"use client";

import { OrderList } from "@/components/order-list";
import { useRequireSession } from "@/lib/use-session";

export default function MyOrdersPage() {
  const { t, session } = useRequireSession();
  if (!session) return <p>{t.needLogin}</p>;
  return <section><h1>{t.myOrders}</h1><OrderList role="buyer" /></section>;
}
