/**
 * Administration (scope admin): the recipients and silences of the caller's units, listed, added and
 * removed through the same API as the CLIs (`npm run recipients`, `npm run silences`).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Link } from '../components/link.js';
import { Status } from '../components/status.js';
import { type Async, useApp, useAsync } from '../context.js';
import { hrefOf } from '../router.js';

export function AdminPage({ campaignId }: { campaignId: string }) {
  const { fmt, asOf } = useApp();
  return (
    <div>
      <nav aria-label="breadcrumb" class="crumbs">
        <ol>
          <li>
            <Link href={hrefOf({ page: 'unit', campaignId, unitId: null }, asOf)}>{fmt.t.back}</Link>
          </li>
          <li aria-current="page">{fmt.t.admin}</li>
        </ol>
      </nav>
      <h1>{fmt.t.admin}</h1>
      <Recipients campaignId={campaignId} />
      <Silences campaignId={campaignId} />
    </div>
  );
}

const formValue = (form: HTMLFormElement, name: string) => {
  const v =
    (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ?? '';
  return v.length > 0 ? v : undefined;
};

/** The named fields' values, in that order (`formValue`: trimmed, undefined when empty). */
const formValues = <K extends string>(form: HTMLFormElement, names: readonly K[]) =>
  Object.fromEntries(names.map((name) => [name, formValue(form, name)])) as Record<K, string | undefined>;

function Message({ text, error }: { text: string | null; error: string | null }) {
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (text)
    return (
      <p class="ok" role="status">
        {text}
      </p>
    );
  return null;
}

const describe = (e: unknown) =>
  e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);

/**
 * A list of one campaign's records (the answer's `key` once loaded) with the message of the last
 * change: `change` runs it, then says `done` and reloads the list, or shows what went wrong; true
 * when it went through.
 */
function useRecords<T, K extends keyof T>(campaignId: string, load: () => Promise<T>, key: K) {
  const list = useAsync(load, [campaignId]);
  const [msg, setMsg] = useState<{ text: string | null; error: string | null }>({ text: null, error: null });
  const change = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setMsg({ text: done, error: null });
      list.reload();
      return true;
    } catch (error) {
      setMsg({ text: null, error: describe(error) });
      return false;
    }
  };
  return { list, rows: list.data?.[key], msg, change };
}

/** A form's submit: `change` with the form's fields; the form is emptied when it went through. */
const submitting =
  (change: (form: HTMLFormElement) => Promise<boolean>) =>
  async (e: Event): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    if (await change(form)) form.reset();
  };

/** A labelled text field of a form (no autocompletion). */
function TextField(props: { label: string; name: string; required?: boolean }) {
  return (
    <label>
      {props.label} <input name={props.name} required={props.required} autocomplete="off" />
    </label>
  );
}

/**
 * A panel of records (`useRecords`): its title, their list (`table` draws it; else its loading or
 * error state, or "none"), the form adding one, and the message of the last change.
 */
function RecordsPanel<R>(props: {
  /** Names the panel and its title. */
  id: 'recipients' | 'silences';
  records: {
    list: Async<unknown>;
    rows: readonly R[] | undefined;
    msg: { text: string | null; error: string | null };
  };
  table: (rows: readonly R[]) => ComponentChildren;
  /** The form adding one. */
  children: ComponentChildren;
}) {
  const { t } = useApp().fmt;
  const { rows } = props.records;
  return (
    <section class="panel" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{t[props.id]}</h2>
      <Status state={props.records.list} />
      {rows?.length === 0 && <p class="muted">{t.none}</p>}
      {rows !== undefined && rows.length > 0 && props.table(rows)}
      {props.children}
      <Message {...props.records.msg} />
    </section>
  );
}

function Recipients({ campaignId }: { campaignId: string }) {
  const { api, fmt } = useApp();
  const t = fmt.t;
  const records = useRecords(campaignId, () => api.recipients(campaignId), 'recipients');
  const add = submitting((form) =>
    records.change(
      () =>
        api.addRecipient(
          campaignId,
          formValues(form, ['unitId', 'name', 'sms', 'email', 'lang', 'minSeverity']),
        ),
      t.added,
    ),
  );
  return (
    <RecordsPanel
      id="recipients"
      records={records}
      table={(recipients) => (
        <DataTable
          label={t.recipients}
          class="recipients"
          rows={recipients}
          rowKey={(r) => r.id}
          columns={[
            { head: t.name, cell: (r) => r.name },
            { head: t.unit, cell: (r) => r.unitId },
            { head: t.sms, cell: (r) => r.sms ?? '—' },
            { head: t.email, cell: (r) => r.email ?? '—' },
            {
              head: <span class="sr-only">{t.remove}</span>,
              cell: (r) => (
                <button
                  type="button"
                  onClick={() => void records.change(() => api.removeRecipient(campaignId, r.id), t.removed)}
                  aria-label={`${t.remove} ${r.name}`}
                >
                  {t.remove}
                </button>
              ),
            },
          ]}
        />
      )}
    >
      <form class="form" onSubmit={(e) => void add(e)}>
        <h3>{t.addRecipient}</h3>
        <TextField label={t.unit} name="unitId" required />
        <TextField label={t.name} name="name" required />
        <label>
          {t.sms} <input name="sms" type="tel" autocomplete="off" />
        </label>
        <label>
          {t.email} <input name="email" type="email" autocomplete="off" />
        </label>
        <label>
          {t.language}{' '}
          <select name="lang">
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </label>
        <label>
          {t.minSeverity}{' '}
          <select name="minSeverity">
            <option value="at_risk">{t.levels.at_risk}</option>
            <option value="critical">{t.levels.critical}</option>
          </select>
        </label>
        <button type="submit">{t.add}</button>
      </form>
    </RecordsPanel>
  );
}

function Silences({ campaignId }: { campaignId: string }) {
  const { api, fmt } = useApp();
  const t = fmt.t;
  const records = useRecords(campaignId, () => api.silences(campaignId), 'silences');
  const add = submitting((form) => {
    const { unitId, until, reason } = formValues(form, ['unitId', 'until', 'reason']);
    const body = { unitId, until: until ? new Date(until).toISOString() : undefined, reason };
    return records.change(() => api.addSilence(campaignId, body), t.added);
  });
  return (
    <RecordsPanel
      id="silences"
      records={records}
      table={(silences) => (
        <ul class="silences">
          {silences.map((s) => (
            <li key={s.id}>
              <strong>{s.unitId}</strong> {t.until.toLowerCase()}{' '}
              {new Date(s.until).toLocaleString(fmt.lang === 'vi' ? 'vi-VN' : 'en-GB')}: {s.reason}{' '}
              <button
                type="button"
                onClick={() => void records.change(() => api.endSilence(campaignId, s.id), t.removed)}
              >
                {t.endSilence}
              </button>
            </li>
          ))}
        </ul>
      )}
    >
      <form class="form" onSubmit={(e) => void add(e)}>
        <h3>{t.addSilence}</h3>
        <TextField label={t.unit} name="unitId" required />
        <label>
          {t.until} <input name="until" type="datetime-local" required />
        </label>
        <TextField label={t.reason} name="reason" required />
        <button type="submit">{t.addSilence}</button>
      </form>
    </RecordsPanel>
  );
}
