import { ForgotPasswordForm } from "@/components/password-reset";

export default function ForgotPasswordPage() {
  return <ForgotPasswordForm />;
}
