"use client";

import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { FormErrors } from "@/lib/errors";

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
}

function Described({ id, label, error, hint, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
      {error && <p className="field-error" id={`${id}-error`} role="alert">{error}</p>}
    </div>
  );
}

function aria(id: string, error?: string, hint?: string) {
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(" ");
  return { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy || undefined };
}

export function TextField({ label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return <Described id={id} label={label} error={error} hint={hint}><input id={id} {...aria(id, error, hint)} {...input} /></Described>;
}

export function TextArea({ label, error, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return <Described id={id} label={label} error={error} hint={hint}><textarea id={id} {...aria(id, error, hint)} {...input} /></Described>;
}

export function Select({ label, error, hint, children, ...input }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return <Described id={id} label={label} error={error} hint={hint}><select id={id} {...aria(id, error, hint)} {...input}>{children}</select></Described>;
}

export function FormMessage({ errors, ok }: { errors: FormErrors | null; ok?: string }) {
  if (errors?.form) return <p className="form-error" role="alert">{errors.form}</p>;
  if (ok) return <p className="form-ok" role="status">{ok}</p>;
  return null;
}
