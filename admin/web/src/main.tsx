// The workspace: sign in (a role and a name in development), then that role's screens.
import "@picocss/pico/css/pico.min.css";
import "./style.css";
import { render } from "preact";
import { useState } from "preact/hooks";
import { type Session, useSessionToken } from "./api";
import { Authorizations } from "./governance";
import { Meetings } from "./meetings";
import { Sites } from "./operations";
import { SignIn } from "./session";

const GOVERNANCE = new Set(["medical_director", "physician", "app", "pc_quality", "auditor"]);

function App() {
  const [session, setSession] = useState<Session | null>(() => {
    const kept = sessionStorage.getItem("mhg-session");
    return kept ? (JSON.parse(kept) as Session) : null;
  });
  const [screen, setScreen] = useState<"authorizations" | "meetings">("authorizations");
  useSessionToken(session);
  const signIn = (next: Session | null) => {
    if (next) sessionStorage.setItem("mhg-session", JSON.stringify(next));
    else sessionStorage.removeItem("mhg-session");
    setSession(next);
  };
  if (!session) return <SignIn signedIn={signIn} />;
  return (
    <>
      <nav>
        <ul>
          <li>
            <strong>MHG admin workspace</strong>
          </li>
        </ul>
        <ul>
          <li data-signed-in>
            {session.name} · {session.role.replaceAll("_", " ")}
          </li>
          <li>
            <button class="secondary" onClick={() => signIn(null)}>
              Sign out
            </button>
          </li>
        </ul>
      </nav>
      {GOVERNANCE.has(session.role) ? (
        <>
          <nav>
            <ul>
              <li>
                <a href="#" aria-current={screen === "authorizations"} onClick={() => setScreen("authorizations")}>
                  Authorization requests
                </a>
              </li>
              <li>
                <a href="#" aria-current={screen === "meetings"} onClick={() => setScreen("meetings")}>
                  Meetings
                </a>
              </li>
            </ul>
          </nav>
          {screen === "meetings" ? <Meetings /> : <Authorizations />}
        </>
      ) : (
        <Sites />
      )}
    </>
  );
}

render(<App />, document.getElementById("app")!);
