import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api.js';
import { beginSignIn, type Claims, claimsOf, currentToken, signOut } from './auth.js';
import type { AppConfig } from './config.js';
import { Ctx } from './context.js';
import { formatFor, LANGS, type Lang } from './i18n.js';
import { AdminPage } from './pages/admin.js';
import { HomePage } from './pages/home.js';
import { CampaignPage } from './pages/unit.js';
import { hrefOf, navigate, onNavigate, parseLocation, todayIn } from './router.js';

const LANG_KEY = 'dashboard.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  return (LANGS as readonly string[]).includes(saved ?? '') ? (saved as Lang) : 'vi';
}

export function App({ config }: { config: AppConfig }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [loc, setLoc] = useState(() => parseLocation(location.pathname, location.search));
  const [token, setToken] = useState(currentToken);
  useEffect(() => onNavigate(() => setLoc(parseLocation(location.pathname, location.search))), []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = formatFor(lang).t.appTitle;
  }, [lang]);
  const fmt = useMemo(() => formatFor(lang), [lang]);
  const api = useMemo(() => createApi(config.apiUrl, currentToken, () => setToken(null)), [config.apiUrl]);
  const claims: Claims | null = token ? claimsOf(token) : null;
  const setLang = (l: Lang) => {
    localStorage.setItem(LANG_KEY, l);
    setLangState(l);
  };
  const t = fmt.t;

  if (!token || !claims) {
    return (
      <main id="main" class="signed-out">
        <h1>{t.appTitle}</h1>
        <h2>{t.signedOutTitle}</h2>
        <p>{t.signedOutText}</p>
        {config.auth && (
          <button type="button" onClick={() => config.auth && void beginSignIn(config.auth)}>
            {t.signIn}
          </button>
        )}
        <button type="button" class="link-button" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          {t.otherLanguage}
        </button>
      </main>
    );
  }

  const route = loc.route;
  const campaignId = route.page === 'unit' || route.page === 'admin' ? route.campaignId : null;
  const today = todayIn('Asia/Ho_Chi_Minh');
  const setAsOf = (day: string) => {
    const next = day && day < today ? day : null;
    navigate(hrefOf(route, next));
  };

  return (
    <Ctx.Provider value={{ api, fmt, config, claims, asOf: loc.asOf, setLang }}>
      <a class="skip" href="#main">
        {t.skip}
      </a>
      <header class="top">
        <a
          class="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate(hrefOf({ page: 'home' }, loc.asOf));
          }}
        >
          <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="#fff" opacity=".15" />
            <path
              d="M6 24 L13 15 L18 19 L26 8"
              stroke="#fff"
              stroke-width="3"
              fill="none"
              stroke-linecap="round"
            />
          </svg>
          {t.appTitle}
        </a>
        <div class="top-tools">
          {campaignId && (
            <label class="asof">
              <span>{t.asOf}</span>
              <input
                type="date"
                value={loc.asOf ?? today}
                max={today}
                onChange={(e) => setAsOf((e.target as HTMLInputElement).value)}
              />
            </label>
          )}
          <button
            type="button"
            class="lang"
            lang={lang === 'vi' ? 'en' : 'vi'}
            onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
          >
            {t.otherLanguage}
          </button>
          <button type="button" class="signout" onClick={() => signOut(config.auth)}>
            {t.signOut}
          </button>
        </div>
      </header>
      {loc.asOf && (
        <div class="past-banner" role="status">
          {t.showingPast(fmt.day(loc.asOf))}{' '}
          <button type="button" class="link-button" onClick={() => setAsOf('')}>
            {t.asOfNow}
          </button>
        </div>
      )}
      <main id="main">
        {route.page === 'home' && <HomePage />}
        {route.page === 'unit' && <CampaignPage campaignId={route.campaignId} unitId={route.unitId} />}
        {route.page === 'admin' && <AdminPage campaignId={route.campaignId} />}
        {route.page === 'unknown' && <HomePage />}
      </main>
    </Ctx.Provider>
  );
}
