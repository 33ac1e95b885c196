"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { Schemas } from "@/api/client";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { formatDateTime, formatMoney } from "@/lib/format";
import { FormMessage } from "./forms";
import { useApp } from "./providers";
import "../app/booking.css";

// Where the job board waits for the seller: the order's page has the buttons for each of these.
const SELLER_MOVES = ["quote_requested", "authorized", "accepted", "in_progress"];

export function OrderList({ role }: { role: "buyer" | "seller" }) {
  const { api, t, lang, session } = useApp();
  const [orders, setOrders] = useState<Schemas["OrderSummary"][] | null>(null);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  useEffect(() => {
    if (!session) return;
    const load = () => api.GET("/me/orders", { params: { query: { role, page_size: 50 } } })
      .then(({ data, error }) => (data ? setOrders(data.items ?? []) : setErrors(formErrors(error, lang))))
      .catch(() => setErrors(networkError(lang)));
    void load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [api, role, session, lang]);
  if (orders === null) return <><FormMessage errors={errors} /><p>{t.loading}</p></>;
  if (orders.length === 0) return <p>{t.none}</p>;
  return (
    <ul className="orders" data-testid={`orders-${role}`}>
      {orders.map((o) => {
        const slot = o.slot as { start?: string; time_zone?: string } | undefined;
        return (
          <li key={o.id} className="card">
            <Link href={`/pedidos/${o.id}`}><strong>{o.service?.title}</strong></Link>{" "}
            <span className="tag">{(t as Record<string, string>)[`status_${String(o.status)}`] ?? String(o.status)}</span>
            {role === "seller" && SELLER_MOVES.includes(String(o.status)) && <>{" "}<span className="tag move">{t.yourMove}</span></>}
            <small className="order-when">{formatDateTime(slot?.start, lang, slot?.time_zone)}
            {o.breakdown ? ` · ${formatMoney((o.breakdown as Schemas["Breakdown"]).subtotal, lang)}` : ""}</small>
          </li>
        );
      })}
    </ul>
  );
}
