"use client";

import { useEffect, useState } from "react";
import { useApp } from "./providers";

/**
 * "Use my location": the browser's position goes into the search form as lat/lng and the form is sent. Shown
 * only once scripts run (without them the typed zone does the same job), and only where the browser can tell.
 */
export function LocateButton({ formId }: { formId: string }) {
  const { t } = useApp();
  const [able, setAble] = useState(false);
  const [state, setState] = useState<"idle" | "busy" | "denied">("idle");
  useEffect(() => setAble(typeof navigator !== "undefined" && "geolocation" in navigator), []);
  if (!able) return null;
  const locate = () => {
    setState("busy");
    navigator.geolocation.getCurrentPosition((position) => {
      const form = document.getElementById(formId) as HTMLFormElement | null;
      if (!form) return;
      const set = (name: string, value: string) => {
        let input = form.querySelector<HTMLInputElement>(`input[type=hidden][name=${name}]`);
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          form.appendChild(input);
        }
        input.value = value;
      };
      set("lat", position.coords.latitude.toFixed(3));
      set("lng", position.coords.longitude.toFixed(3));
      const near = form.querySelector<HTMLInputElement>("input[name=near]");
      if (near) near.value = "";
      form.requestSubmit();
    }, () => setState("denied"), { maximumAge: 600_000, timeout: 15_000 });
  };
  return (
    <>
      <button type="button" className="link-button locate" onClick={locate} disabled={state === "busy"}>
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M12 2v3M12 19v3M2 12h3M19 12h3" /><circle cx="12" cy="12" r="6" /><circle cx="12" cy="12" r="2" />
        </svg>
        {state === "busy" ? t.locating : t.useMyLocation}
      </button>
      {state === "denied" && <span className="form-error" role="alert">{t.locationDenied}</span>}
    </>
  );
}
