/**
 * Administration (scope admin): the recipients and silences of the caller's units, listed, added and
 * removed through the same API as the CLIs (`npm run recipients`, `npm run silences`).
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { Link } from '../components/link.js';
import { Status } from '../components/status.js';
import { TableWrap } from '../components/table-wrap.js';
import { useApp, useAsync } from '../context.js';
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

function Recipients({ campaignId }: { campaignId: string }) {
  const { api, fmt } = useApp();
  const t = fmt.t;
  const list = useAsync(() => api.recipients(campaignId), [campaignId]);
  const [msg, setMsg] = useState<{ text: string | null; error: string | null }>({ text: null, error: null });
  const add = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    try {
      await api.addRecipient(campaignId, {
        unitId: formValue(form, 'unitId'),
        name: formValue(form, 'name'),
        sms: formValue(form, 'sms'),
        email: formValue(form, 'email'),
        lang: formValue(form, 'lang'),
        minSeverity: formValue(form, 'minSeverity'),
      });
      form.reset();
      setMsg({ text: t.added, error: null });
      list.reload();
    } catch (error) {
      setMsg({ text: null, error: describe(error) });
    }
  };
  const remove = async (id: string) => {
    try {
      await api.removeRecipient(campaignId, id);
      setMsg({ text: t.removed, error: null });
      list.reload();
    } catch (error) {
      setMsg({ text: null, error: describe(error) });
    }
  };
  return (
    <section class="panel" aria-labelledby="recipients-title">
      <h2 id="recipients-title">{t.recipients}</h2>
      <Status state={list} />
      {list.data && list.data.recipients.length === 0 && <p class="muted">{t.none}</p>}
      {list.data && list.data.recipients.length > 0 && (
        <TableWrap label={t.recipients}>
          <table class="recipients">
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.unit}</th>
                <th scope="col">{t.sms}</th>
                <th scope="col">{t.email}</th>
                <th scope="col">
                  <span class="sr-only">{t.remove}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.recipients.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.name}</th>
                  <td>{r.unitId}</td>
                  <td>{r.sms ?? '—'}</td>
                  <td>{r.email ?? '—'}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => void remove(r.id)}
                      aria-label={`${t.remove} ${r.name}`}
                    >
                      {t.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
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
      <Message {...msg} />
    </section>
  );
}

function Silences({ campaignId }: { campaignId: string }) {
  const { api, fmt } = useApp();
  const t = fmt.t;
  const list = useAsync(() => api.silences(campaignId), [campaignId]);
  const [msg, setMsg] = useState<{ text: string | null; error: string | null }>({ text: null, error: null });
  const add = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const until = formValue(form, 'until');
    try {
      await api.addSilence(campaignId, {
        unitId: formValue(form, 'unitId'),
        until: until ? new Date(until).toISOString() : undefined,
        reason: formValue(form, 'reason'),
      });
      form.reset();
      setMsg({ text: t.added, error: null });
      list.reload();
    } catch (error) {
      setMsg({ text: null, error: describe(error) });
    }
  };
  const end = async (id: string) => {
    try {
      await api.endSilence(campaignId, id);
      setMsg({ text: t.removed, error: null });
      list.reload();
    } catch (error) {
      setMsg({ text: null, error: describe(error) });
    }
  };
  return (
    <section class="panel" aria-labelledby="silences-title">
      <h2 id="silences-title">{t.silences}</h2>
      <Status state={list} />
      {list.data && list.data.silences.length === 0 && <p class="muted">{t.none}</p>}
      {list.data && list.data.silences.length > 0 && (
        <ul class="silences">
          {list.data.silences.map((s) => (
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
      <Message {...msg} />
    </section>
  );
}
