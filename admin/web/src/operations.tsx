// Operations (MSO roles): sites, their service lines, booking under the PC's authorization.
import { useState } from "preact/hooks";
import { answer, type MsoBody, mso } from "./api";
import { Record } from "./record";
import { Back, ProblemBox, RowAction, Table, useLoaded } from "./ui";

type Line = MsoBody<"/appointments", "post">["service_line"];

export function Sites() {
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoaded(() => answer(mso.GET("/sites", { params: { query: { limit: 100 } } })));
  if (open) return <Site id={open} back={() => setOpen(null)} />;
  return (
    <section>
      <h2>Sites</h2>
      <ProblemBox problem={list.problem} />
      <Table head={["Site", "Kind", "Status", "Readiness", "Monthly margin", ""]}>
          {list.value?.items.map((site) => (
            <tr data-site={site.id}>
              <td>{site.name}</td>
              <td>{site.kind}</td>
              <td>{site.status}</td>
              <td>{site.readiness_met} items</td>
              <td>{site.monthly_margin ?? "—"}</td>
              <RowAction label="Open" run={() => setOpen(site.id)} />
            </tr>
          ))}
        </Table>
    </section>
  );
}

function Site({ id, back }: { id: string; back: () => void }) {
  const site_id = id;
  const today = new Date().toISOString().slice(0, 10) + "T00:00:00Z";
  const site = useLoaded(() => answer(mso.GET("/sites/{site_id}", { params: { path: { site_id } } })), [id]);
  const lines = useLoaded(
    () => answer(mso.GET("/sites/{site_id}/service-lines", { params: { path: { site_id } } })),
    [id],
  );
  const bookings = useLoaded(
    () => answer(mso.GET("/appointments", { params: { query: { site_id, start_from: today, limit: 50 } } })),
    [id],
  );
  const [provenance, setProvenance] = useState<string | null>(null);
  return (
    <section>
      <Back to="Sites" run={back} />
      <ProblemBox problem={site.problem ?? lines.problem ?? bookings.problem} />
      {site.value && (
        <h2>
          {site.value.name} <small>({site.value.status})</small>
        </h2>
      )}
      <h3>Service lines</h3>
      <Table head={["Line", "Status", "Authorization"]}>
          {lines.value?.items.map((line) => (
            <tr data-line={line.code}>
              <td>{line.code}</td>
              <td>{line.status}</td>
              <td>{line.authorization_id ?? "—"}</td>
            </tr>
          ))}
        </Table>
      <Book
        siteId={id}
        lines={(lines.value?.items ?? []).filter((l) => l.status === "authorized").map((l) => l.code as Line)}
        booked={(appointment) => (bookings.reload(), setProvenance(appointment))}
      />
      {provenance && <BookingProvenance id={provenance} />}
      <h3>Upcoming bookings</h3>
      <Table head={["Start", "Line", "Status", ""]}>
          {bookings.value?.items.map((booking) => (
            <tr data-appointment={booking.id}>
              <td>{booking.start}</td>
              <td>{booking.service_line}</td>
              <td>{booking.status}</td>
              <RowAction label="Provenance" run={() => setProvenance(booking.id)} />
            </tr>
          ))}
        </Table>
    </section>
  );
}

function Book({ siteId, lines, booked }: { siteId: string; lines: Line[]; booked: (id: string) => void }) {
  const [problem, setProblem] = useState<unknown>(null);
  const [line, setLine] = useState<Line | "">("");
  const [start, setStart] = useState("");
  const [name, setName] = useState("");
  const [born, setBorn] = useState("");
  const [contact, setContact] = useState("");
  const [minutes, setMinutes] = useState(20);
  const chosen = line || lines[0];
  const book = () => {
    setProblem(null);
    if (!chosen) return setProblem(new Error("No service line here is authorized by the PC yet."));
    answer(
      mso.POST("/appointments", {
        body: {
          site_id: siteId,
          service_line: chosen,
          start: start ? new Date(start).toISOString() : "",
          minutes,
          patient: { name, date_of_birth: born, contact },
        },
      }),
    ).then((appointment) => booked(appointment.id), setProblem);
  };
  return (
    <form onSubmit={(e) => (e.preventDefault(), book())}>
      <h3>Book under the authorization</h3>
      <div class="grid">
        <label>
          Service line
          <select name="service-line" value={chosen ?? ""} onChange={(e) => setLine(e.currentTarget.value as Line)}>
            {lines.map((code) => (
              <option value={code}>{code}</option>
            ))}
          </select>
        </label>
        <label>
          Start
          <input name="start" type="datetime-local" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
        </label>
        <label>
          Minutes
          <input name="minutes" type="number" value={minutes} onInput={(e) => setMinutes(Number(e.currentTarget.value))} />
        </label>
      </div>
      <div class="grid">
        <label>
          Patient
          <input name="patient-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Date of birth
          <input name="date-of-birth" type="date" value={born} onInput={(e) => setBorn(e.currentTarget.value)} />
        </label>
        <label>
          Contact
          <input name="contact" value={contact} onInput={(e) => setContact(e.currentTarget.value)} />
        </label>
      </div>
      <button type="submit">Book</button>
      <ProblemBox problem={problem} />
    </form>
  );
}

function BookingProvenance({ id }: { id: string }) {
  const path = { params: { path: { appointment_id: id } } };
  const shown = useLoaded(() => answer(mso.GET("/provenance/appointment/{appointment_id}", path)), [id]);
  return (
    <article class="provenance">
      <header>Provenance of booking {id}</header>
      <ProblemBox problem={shown.problem} />
      {shown.value && <Record value={shown.value} />}
    </article>
  );
}
