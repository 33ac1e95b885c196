"use client";

import { useEffect, useState } from "react";
import { FormMessage } from "@/components/forms";
import { OrderList } from "@/components/order-list";
import { SellerReviews } from "@/components/reviews";
import { SellerAvailability } from "@/components/seller-availability";
import { SellerPhotoEditor } from "@/components/seller-photos";
import { SellerProfileForm } from "@/components/seller-profile-form";
import { SellerServices } from "@/components/seller-services";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { useRequireSession } from "@/lib/use-session";

function SquareConnection() {
  const { api, t, lang } = useRequireSession();
  const [canPay, setCanPay] = useState<boolean | null>(null);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [outcome, setOutcome] = useState("");
  useEffect(() => {
    // Square's callback sends the seller back here with ?square=connected|failed&reason=<code>.
    const back = new URLSearchParams(window.location.search);
    if (back.get("square") === "connected") setOutcome(t.squareJustConnected);
    else if (back.get("square") === "failed") {
      setOutcome(back.get("reason") === "square_merchant_switch_refused" ? t.squareSwitchRefused : t.squareNotConnected);
    }
  }, [t]);
  useEffect(() => {
    api.GET("/me/square-connection").then(({ data }) => {
      setCanPay(Boolean(data?.can_take_payments));
      setReason(String(data?.cannot_take_payments_because ?? ""));
    }).catch(() => setErrors(networkError(lang)));
  }, [api, lang]);
  async function connect() {
    try {
      const { data, error } = await api.POST("/me/square-connection");
      if (data?.authorize_url) window.location.assign(data.authorize_url);
      else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    }
  }
  return (
    <section className="card" aria-labelledby="square-title">
      <h2 id="square-title">{t.square}</h2>
      <FormMessage errors={errors} />
      {outcome && <p role="status" data-testid="square-outcome">{outcome}</p>}
      {canPay ? <p>{t.squareReady}</p> : <>
        {reason && <p>{reason}</p>}
        <button type="button" onClick={connect}>{t.squareConnect}</button>
      </>}
    </section>
  );
}

export default function SellerDashboard() {
  const { t, session } = useRequireSession();
  if (!session) return <p>{t.needLogin}</p>;
  return (
    <div className="dashboard">
      <h1>{t.sellerArea}</h1>
      <section aria-labelledby="jobs"><h2 id="jobs">{t.jobBoard}</h2><OrderList role="seller" /></section>
      <SquareConnection />
      <SellerPhotoEditor />
      <SellerProfileForm />
      <SellerAvailability />
      <SellerServices />
      <SellerReviews />
    </div>
  );
}
