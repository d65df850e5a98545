// Development sign-in: pick a role and a name; the workspace's origin issues the token
// (`mhg token`, ADR 0014). A deployment signs in at its OpenID Connect provider instead (ADR 0030).
import { useState } from "preact/hooks";
import { Problem, type Session } from "./api";
import { ProblemBox } from "./ui";

const ROLES = [
  ["medical_director", "Medical Director (PC)"],
  ["mso_admin", "MSO admin"],
  ["mso_scheduler", "MSO scheduler"],
  ["mso_billing", "MSO billing"],
  ["physician", "Physician (PC)"],
  ["app", "Advanced practice provider (PC)"],
  ["pc_quality", "PC quality"],
  ["auditor", "Auditor"],
] as const;

export function SignIn({ signedIn }: { signedIn: (session: Session) => void }) {
  const [role, setRole] = useState<string>("medical_director");
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const submit = async () => {
    setProblem(null);
    const response = await fetch("/session/development", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ role, name }),
    });
    const body = (await response.json()) as Session & { title?: string; detail?: string };
    if (!response.ok) return setProblem(new Problem(body.title ?? "Sign-in failed", body.detail ?? "", response.status));
    signedIn({ token: body.token, role: body.role, name: body.name });
  };
  return (
    <article>
      <h1>MHG admin workspace</h1>
      <p>Development sign-in: pick a role and a name.</p>
      <form onSubmit={(e) => (e.preventDefault(), submit())}>
        <label>
          Role
          <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <ProblemBox problem={problem} />
    </article>
  );
}
