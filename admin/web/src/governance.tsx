// Governance (PC roles): authorization requests, with their evidence, approved or denied on a basis.
import { useState } from "preact/hooks";
import { answer, type PcBody, pc } from "./api";
import type { paths } from "./api/pc.gen";
import { Record } from "./record";
import { Back, ProblemBox, RowAction, Table, useLoaded } from "./ui";

type Status = NonNullable<paths["/authorizations"]["get"]["parameters"]["query"]>["status"];
type BasisKind = PcBody<"/authorizations/{authorization_id}/approve", "post">["basis"]["kind"];

export function Authorizations() {
  const [status, setStatus] = useState<Status>("pending");
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoaded(
    () => answer(pc.GET("/authorizations", { params: { query: { status, limit: 50 } } })),
    [status],
  );
  if (open) return <Authorization id={open} back={() => (setOpen(null), list.reload())} />;
  return (
    <section>
      <h2>Authorization requests</h2>
      <label>
        Status
        <select
          name="status"
          value={status ?? ""}
          onChange={(e) => setStatus((e.currentTarget.value || null) as Status)}
        >
          <option value="">any</option>
          {["pending", "approved", "denied", "suspended", "revoked"].map((s) => (
            <option value={s}>{s}</option>
          ))}
        </select>
      </label>
      <ProblemBox problem={list.problem} />
      <Table head={["Site", "Kind", "Service line", "Requested", "Status", ""]}>
          {list.value?.items.map((row) => (
            <tr data-authorization={row.id}>
              <td>{row.site_name}</td>
              <td>{row.kind}</td>
              <td>{row.service_line ?? "—"}</td>
              <td>{row.requested_at.slice(0, 10)}</td>
              <td>{row.status}</td>
              <RowAction label="Review" run={() => setOpen(row.id)} />
            </tr>
          ))}
        </Table>
      {list.value?.items.length === 0 && <p>No authorization requests {status ?? ""}.</p>}
    </section>
  );
}

function Authorization({ id, back }: { id: string; back: () => void }) {
  const path = { params: { path: { authorization_id: id } } };
  const one = useLoaded(() => answer(pc.GET("/authorizations/{authorization_id}", path)), [id]);
  const [showProvenance, setShowProvenance] = useState(false);
  const record = one.value;
  return (
    <section>
      <Back to="Authorization requests" run={back} />
      <ProblemBox problem={one.problem} />
      {record && (
        <>
          <h2>
            {record.site_name}: {record.kind.replaceAll("_", " ")}{" "}
            {record.service_line && `(${record.service_line})`}
          </h2>
          <p>
            Status: <strong data-status>{record.status}</strong> · requested{" "}
            {record.requested_at.slice(0, 10)} by {record.requested_by}
          </p>
          <h3>Readiness evidence</h3>
          <Record value={record.readiness} />
          {record.status === "pending" && <Decide id={id} done={one.reload} />}
          <button class="outline" onClick={() => setShowProvenance(true)}>
            Provenance
          </button>
          {showProvenance && <AuthorizationProvenance id={id} />}
        </>
      )}
    </section>
  );
}

function Decide({ id, done }: { id: string; done: () => void }) {
  const [problem, setProblem] = useState<unknown>(null);
  const [kind, setKind] = useState<BasisKind>("medical_director_act");
  const [reference, setReference] = useState("");
  const [effective, setEffective] = useState(new Date().toISOString().slice(0, 10));
  const [reason, setReason] = useState("");
  const path = { authorization_id: id };
  const basis = { kind, reference };
  const run = (call: Promise<unknown>) => {
    setProblem(null);
    call.then(done, setProblem);
  };
  const approve = () =>
    run(
      answer(
        pc.POST("/authorizations/{authorization_id}/approve", {
          params: { path },
          body: { effective_date: effective, basis },
        }),
      ),
    );
  const deny = () =>
    run(
      answer(
        pc.POST("/authorizations/{authorization_id}/deny", {
          params: { path },
          body: { reason, basis },
        }),
      ),
    );
  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <h3>Decide, on a basis</h3>
      <div class="grid">
        <label>
          Basis
          <select name="basis-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as BasisKind)}>
            <option value="medical_director_act">Medical Director act</option>
            <option value="meeting_decision">Meeting decision</option>
          </select>
        </label>
        <label>
          Basis reference
          <input name="basis-reference" value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
        </label>
        <label>
          Effective date
          <input name="effective-date" type="date" value={effective} onInput={(e) => setEffective(e.currentTarget.value)} />
        </label>
      </div>
      <button type="button" onClick={approve}>
        Approve
      </button>
      <label>
        Reason (to deny)
        <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <button type="button" class="secondary" onClick={deny}>
        Deny
      </button>
      <ProblemBox problem={problem} />
    </form>
  );
}

function AuthorizationProvenance({ id }: { id: string }) {
  const path = { params: { path: { authorization_id: id } } };
  const shown = useLoaded(
    () => answer(pc.GET("/provenance/authorizations/{authorization_id}", path)),
    [id],
  );
  return (
    <article class="provenance">
      <header>Provenance</header>
      <ProblemBox problem={shown.problem} />
      {shown.value && <Record value={shown.value} />}
    </article>
  );
}
