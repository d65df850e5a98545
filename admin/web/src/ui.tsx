// Small shared pieces: a problem box and a loader hook.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { Problem } from "./api";

export function ProblemBox({ problem }: { problem: unknown }) {
  if (!problem) return null;
  const shown =
    problem instanceof Problem ? problem : new Problem("Request failed", String(problem), 0);
  return (
    <article class="problem" role="alert">
      <strong>{shown.title}</strong>
      <p>{shown.detail}</p>
    </article>
  );
}

/** Load something on mount and on `reload()`; loading, value and problem as state. */
export function useLoaded<T>(load: () => Promise<T>, keys: unknown[] = []) {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [problem, setProblem] = useState<unknown>(null);
  const reload = useCallback(() => {
    setProblem(null);
    load().then(setValue, setProblem);
  }, keys);
  useEffect(reload, [reload]);
  return { value, problem, reload };
}

/** A table of records: its column headings, then one row per record. */
export function Table({ head, children }: { head: string[]; children: ComponentChildren }) {
  return (
    <table>
      <thead>
        <tr>
          {head.map((heading) => (
            <th>{heading}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** The action of a table's row, in its last cell. */
export function RowAction({ label, run }: { label: string; run: () => void }) {
  return (
    <td>
      <button class="outline" onClick={run}>
        {label}
      </button>
    </td>
  );
}

/** Back to the list a record was opened from. */
export function Back({ to, run }: { to: string; run: () => void }) {
  return (
    <button class="secondary" onClick={run}>
      ← {to}
    </button>
  );
}
