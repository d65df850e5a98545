// A read-only view of one API record (provenance, decisions): every field, nested as sent.
export function Record({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span class="muted">—</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    return (
      <ol>
        {value.map((item, index) => (
          <li key={index}>
            <Record value={item} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === "object") {
    return (
      <dl>
        {Object.entries(value).map(([key, item]) => (
          <>
            <dt>{key.replaceAll("_", " ")}</dt>
            <dd data-field={key}>
              <Record value={item} />
            </dd>
          </>
        ))}
      </dl>
    );
  }
  return <span>{String(value)}</span>;
}
