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
 * A list of one campaign's records with the message of the last change: `change` runs it, then says
 * `done` and reloads the list, or shows what went wrong; true when it went through.
 */
function useRecords<T>(campaignId: string, load: () => Promise<T>) {
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
  return { list, msg, change };
}

/** A form's submit: `change` with the form's fields; the form is emptied when it went through. */
const submitting =
  (change: (form: HTMLFormElement) => Promise<boolean>) =>
  async (e: Event): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    if (await change(form)) form.reset();
  };

/**
 * A panel of records (`useRecords`): its title, their list (`table` draws it; else its loading or
 * error state, or "none"), the form adding one, and the message of the last change.
 */
function RecordsPanel<R>(props: {
  /** Names the panel and its title. */
  id: 'recipients' | 'silences';
  records: { list: Async<unknown>; msg: { text: string | null; error: string | null } };
  rows: readonly R[] | undefined;
  table: (rows: readonly R[]) => ComponentChildren;
  /** The form adding one. */
  children: ComponentChildren;
}) {
  const { t } = useApp().fmt;
  return (
    <section class="panel" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{t[props.id]}</h2>
      <Status state={props.records.list} />
      {props.rows?.length === 0 && <p class="muted">{t.none}</p>}
      {props.rows !== undefined && props.rows.length > 0 && props.table(props.rows)}
      {props.children}
      <Message {...props.records.msg} />
    </section>
  );
}

function Recipients({ campaignId }: { campaignId: string }) {
  const { api, fmt } = useApp();
  const t = fmt.t;
  const records = useRecords(campaignId, () => api.recipients(campaignId));
  const add = submitting((form) =>
    records.change(
      () =>
        api.addRecipient(campaignId, {
          unitId: formValue(form, 'unitId'),
          name: formValue(form, 'name'),
          sms: formValue(form, 'sms'),
          email: formValue(form, 'email'),
          lang: formValue(form, 'lang'),
          minSeverity: formValue(form, 'minSeverity'),
        }),
      t.added,
    ),
  );
  const remove = (id: string) => records.change(() => api.removeRecipient(campaignId, id), t.removed);
  return (
    <RecordsPanel
      id="recipients"
      records={records}
      rows={records.list.data?.recipients}
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
                <button type="button" onClick={() => void remove(r.id)} aria-label={`${t.remove} ${r.name}`}>
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
        <label>
          {t.unit} <input name="unitId" required autocomplete="off" />
        </label>
        <label>
          {t.name} <input name="name" required autocomplete="off" />
        </label>
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
  const records = useRecords(campaignId, () => api.silences(campaignId));
  const add = submitting((form) => {
    const until = formValue(form, 'until');
    return records.change(
      () =>
        api.addSilence(campaignId, {
          unitId: formValue(form, 'unitId'),
          until: until ? new Date(until).toISOString() : undefined,
          reason: formValue(form, 'reason'),
        }),
      t.added,
    );
  });
  const end = (id: string) => records.change(() => api.endSilence(campaignId, id), t.removed);
  return (
    <RecordsPanel
      id="silences"
      records={records}
      rows={records.list.data?.silences}
      table={(silences) => (
        <ul class="silences">
          {silences.map((s) => (
            <li key={s.id}>
              <strong>{s.unitId}</strong> {t.until.toLowerCase()}{' '}
              {new Date(s.until).toLocaleString(fmt.lang === 'vi' ? 'vi-VN' : 'en-GB')}: {s.reason}{' '}
              <button type="button" onClick={() => void end(s.id)}>
                {t.endSilence}
              </button>
            </li>
          ))}
        </ul>
      )}
    >
      <form class="form" onSubmit={(e) => void add(e)}>
        <h3>{t.addSilence}</h3>
        <label>
          {t.unit} <input name="unitId" required autocomplete="off" />
        </label>
        <label>
          {t.until} <input name="until" type="datetime-local" required />
        </label>
        <label>
          {t.reason} <input name="reason" required autocomplete="off" />
        </label>
        <button type="submit">{t.addSilence}</button>
      </form>
    </RecordsPanel>
  );
}
