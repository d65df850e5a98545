// The monthly meeting (PC): agenda, attendance and quorum, motions and votes, minutes.
import { useState } from "preact/hooks";
import { answer, type PcAnswer, type PcBody, pc } from "./api";
import { Back, ProblemBox, RowAction, Table, useLoaded } from "./ui";

type Meeting = PcAnswer<"/meetings/{meeting_id}">;
type Disposition = PcBody<"/meetings/{meeting_id}/agenda/{item_id}/disposition", "post">;
type Attendee = PcBody<"/meetings/{meeting_id}/attendance", "post">;
type Vote = PcBody<"/meetings/{meeting_id}/motions/{motion_id}/votes", "post">;
type Form = { get(name: string): FormDataEntryValue | null };

const text = (form: Form, name: string) => String(form.get(name) ?? "");
const now = () => new Date().toISOString();
const submitted = (run: (form: Form) => void) => (e: Event) => {
  e.preventDefault();
  run(new FormData(e.currentTarget as HTMLFormElement));
};

export function Meetings() {
  const [open, setOpen] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const list = useLoaded(() => answer(pc.GET("/meetings", { params: { query: { limit: 100 } } })));
  if (open) return <MeetingView id={open} back={() => (setOpen(null), list.reload())} />;
  const schedule = submitted((form) => {
    setProblem(null);
    const at = text(form, "scheduled-for");
    const body = { period: text(form, "period"), scheduled_for: at ? new Date(at).toISOString() : "" };
    answer(pc.POST("/meetings", { body })).then((meeting) => setOpen(meeting.id), setProblem);
  });
  return (
    <section>
      <h2>Meetings</h2>
      <form onSubmit={schedule} class="grid">
        <label>
          Period (month)
          <input name="period" placeholder="2026-12" />
        </label>
        <label>
          Scheduled for
          <input name="scheduled-for" type="datetime-local" />
        </label>
        <button type="submit">Schedule</button>
      </form>
      <ProblemBox problem={problem ?? list.problem} />
      <Table head={["Period", "Scheduled for", "Status", ""]}>
        {[...(list.value?.items ?? [])].reverse().map((meeting) => (
          <tr data-meeting={meeting.id}>
            <td>{meeting.period}</td>
            <td>{meeting.scheduled_for}</td>
            <td>{meeting.status}</td>
            <RowAction label="Open" run={() => setOpen(meeting.id)} />
          </tr>
        ))}
      </Table>
    </section>
  );
}

function MeetingView({ id, back }: { id: string; back: () => void }) {
  const meeting_id = id;
  const path = { meeting_id };
  const shown = useLoaded(() => answer(pc.GET("/meetings/{meeting_id}", { params: { path } })), [id]);
  const [problem, setProblem] = useState<unknown>(null);
  const act = (call: Promise<{ data?: unknown; error?: unknown; response: Response }>) => {
    setProblem(null);
    answer(call).then(shown.reload, setProblem);
  };
  const meeting = shown.value;
  return (
    <section>
      <Back to="Meetings" run={back} />
      <ProblemBox problem={problem ?? shown.problem} />
      {meeting && (
        <>
          <h2>
            Meeting of {meeting.period} <small data-meeting-status>{meeting.status}</small>
          </h2>
          <p data-quorum>
            Quorum: {meeting.has_quorum ? "met" : "not met"} (at least {meeting.quorum.min_present}{" "}
            PC members present{meeting.quorum.medical_director_required && ", the Medical Director among them"})
          </p>
          <Agenda meeting={meeting} act={act} />
          <Attendance meeting={meeting} act={act} />
          <Motions meeting={meeting} act={act} />
          <Minutes meeting={meeting} act={act} />
          <Step meeting={meeting} act={act} />
        </>
      )}
    </section>
  );
}

const STEPS = {
  scheduled: ["Call to order", "/meetings/{meeting_id}/open"],
  in_session: ["Adjourn", "/meetings/{meeting_id}/adjourn"],
  adjourned: ["Close the meeting", "/meetings/{meeting_id}/close"],
} as const;

/** The meeting's next step, by its status: call to order, adjourn, close. */
function Step({ meeting, act }: Part) {
  const step = STEPS[meeting.status as keyof typeof STEPS];
  if (!step) return null;
  const [label, path] = step;
  return (
    <button onClick={() => act(pc.POST(path, { params: { path: { meeting_id: meeting.id } }, body: { at: now() } }))}>
      {label}
    </button>
  );
}

type Part = {
  meeting: Meeting;
  act: (call: Promise<{ data?: unknown; error?: unknown; response: Response }>) => void;
};

function Agenda({ meeting, act }: Part) {
  const path = { meeting_id: meeting.id };
  const add = submitted((form) =>
    act(
      pc.POST("/meetings/{meeting_id}/agenda", {
        params: { path },
        body: { kind: "other", reference: text(form, "reference"), title: text(form, "title") },
      }),
    ),
  );
  const decided = (item: Meeting["agenda"][number]) =>
    meeting.motions.find((m) => m.item_id === item.item_id && m.decision_id)?.decision_id;
  const dispose = (item_id: string, body: Disposition) =>
    act(pc.POST("/meetings/{meeting_id}/agenda/{item_id}/disposition", { params: { path: { ...path, item_id } }, body }));
  return (
    <>
      <h3>Agenda</h3>
      <Table head={["Item", "Kind", "Disposition", ""]}>
        {meeting.agenda.map((item) => (
          <tr data-item={item.title}>
            <td>{item.title}</td>
            <td>{item.kind}</td>
            <td>{item.disposition ?? "open"}</td>
            <td>
              {!item.disposition && decided(item) && (
                <button class="outline" onClick={() => dispose(item.item_id, { disposition: "decided", decision_id: decided(item) })}>
                  Decided
                </button>
              )}{" "}
              {!item.disposition && (
                <button class="outline secondary" onClick={() => dispose(item.item_id, { disposition: "noted", note: "noted" })}>
                  Noted
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
      {meeting.status !== "closed" && <form onSubmit={add} class="grid">
        <input name="title" aria-label="Agenda item" placeholder="Agenda item" />
        <input name="reference" aria-label="Reference" placeholder="Reference" />
        <button type="submit" class="outline">
          Add to the agenda
        </button>
      </form>}
    </>
  );
}

function Attendance({ meeting, act }: Part) {
  const record = submitted((form) =>
    act(
      pc.POST("/meetings/{meeting_id}/attendance", {
        params: { path: { meeting_id: meeting.id } },
        body: {
          person_id: text(form, "person"),
          name: text(form, "person"),
          role: text(form, "role") as Attendee["role"],
          present: true,
        },
      }),
    ),
  );
  return (
    <>
      <h3>Attendance</h3>
      <Table head={["Person", "Role", "Present"]}>
        {meeting.attendance.map((person) => (
          <tr>
            <td>{person.name}</td>
            <td>{person.role}</td>
            <td>{person.present ? "present" : "absent"}</td>
          </tr>
        ))}
      </Table>
      {meeting.status !== "closed" && <form onSubmit={record} class="grid">
        <input name="person" aria-label="Attendee" placeholder="Attendee" />
        <select name="role" aria-label="Attendee role">
          {["medical_director", "physician", "app", "pc_quality", "mso_representative", "guest"].map((role) => (
            <option value={role}>{role}</option>
          ))}
        </select>
        <button type="submit" class="outline">
          Present
        </button>
      </form>}
    </>
  );
}

function Motions({ meeting, act }: Part) {
  const path = { meeting_id: meeting.id };
  const move = submitted((form) =>
    act(
      pc.POST("/meetings/{meeting_id}/motions", {
        params: { path },
        body: { agenda_item_id: text(form, "item"), text: text(form, "text"), moved_by: text(form, "moved-by") },
      }),
    ),
  );
  const vote = (motion_id: string) =>
    submitted((form) =>
      act(
        pc.POST("/meetings/{meeting_id}/motions/{motion_id}/votes", {
          params: { path: { ...path, motion_id } },
          body: { voter: text(form, "voter"), choice: text(form, "choice") as Vote["choice"] },
        }),
      ),
    );
  const close = (motion_id: string) =>
    act(pc.POST("/meetings/{meeting_id}/motions/{motion_id}/close", { params: { path: { ...path, motion_id } }, body: { at: now() } }));
  return (
    <>
      <h3>Motions</h3>
      {meeting.motions.map((motion) => (
        <article data-motion={motion.text}>
          <p>
            <strong>{motion.text}</strong> · moved by {motion.moved_by} ·{" "}
            <span data-outcome>{motion.outcome ?? "open"}</span> ·{" "}
            <span data-tally>{Object.entries(motion.tally).map(([choice, count]) => `${choice} ${count}`).join(" · ")}</span>
          </p>
          {!motion.outcome && (
            <form onSubmit={vote(motion.motion_id)} class="grid">
              <input name="voter" aria-label="Voter" placeholder="Voter" />
              <select name="choice" aria-label="Vote">
                <option value="for">for</option>
                <option value="against">against</option>
                <option value="abstain">abstain</option>
              </select>
              <button type="submit" class="outline">
                Vote
              </button>
              <button type="button" class="secondary" onClick={() => close(motion.motion_id)}>
                Close the vote
              </button>
            </form>
          )}
        </article>
      ))}
      {meeting.status === "in_session" && <form onSubmit={move} class="grid">
        <select name="item" aria-label="On agenda item">
          {meeting.agenda.map((item) => (
            <option value={item.item_id}>{item.title}</option>
          ))}
        </select>
        <input name="text" aria-label="Motion" placeholder="Motion" />
        <input name="moved-by" aria-label="Moved by" placeholder="Moved by" />
        <button type="submit" class="outline">
          Move
        </button>
      </form>}
    </>
  );
}

function Minutes({ meeting, act }: Part) {
  const path = { meeting_id: meeting.id };
  const minutes = meeting.minutes;
  const draft = submitted((form) =>
    act(pc.PUT("/meetings/{meeting_id}/minutes", { params: { path }, body: { text: text(form, "minutes") } })),
  );
  return (
    <>
      <h3>
        Minutes <small data-minutes-status>{minutes?.status ?? "none yet"}</small>
      </h3>
      <form onSubmit={draft}>
        <textarea name="minutes" aria-label="Minutes" rows={4} value={minutes?.text ?? ""} readOnly={minutes?.status === "approved"} />
        <div class="grid">
          {minutes?.status !== "approved" && (
            <button type="submit" class="outline">
              Save the minutes
            </button>
          )}
          {minutes && minutes.status !== "approved" && (
            <button
              type="button"
              onClick={() =>
                act(pc.POST("/meetings/{meeting_id}/minutes/approve", { params: { path }, body: { revision: minutes.revision } }))
              }
            >
              Approve the minutes
            </button>
          )}
        </div>
      </form>
    </>
  );
}
