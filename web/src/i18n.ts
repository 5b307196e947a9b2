/**
 * Every phrase the dashboard shows, in typed per-language tables (Vietnamese first), and numbers and
 * dates through Intl (vi-VN: 1.109.100; 13/3/2021). A phrase missing in one language is a type error.
 */
import type { RiskLevel } from '../../shared/schemas/progress.js';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export interface Phrases {
  readonly appTitle: string;
  readonly signIn: string;
  readonly signOut: string;
  readonly signedOutTitle: string;
  readonly signedOutText: string;
  readonly signInFailed: string;
  readonly language: string;
  readonly otherLanguage: string;
  readonly campaigns: string;
  readonly noCampaigns: string;
  readonly loading: string;
  readonly error: string;
  readonly retry: string;
  readonly asOf: string;
  readonly asOfNow: string;
  readonly showingPast: (day: string) => string;
  readonly back: string;
  readonly percent: string;
  readonly total: string;
  readonly target: string;
  readonly remaining: string;
  readonly daysLeft: string;
  readonly deadline: string;
  readonly requiredPerDay: string;
  readonly observedPerDay: string;
  readonly paceRatio: string;
  readonly projected: string;
  readonly never: string;
  readonly level: string;
  readonly since: (when: string) => string;
  readonly today: string;
  readonly burnUp: string;
  readonly burnUpHelp: string;
  readonly seriesActual: string;
  readonly seriesTarget: string;
  readonly seriesRequired: string;
  readonly seriesProjection: string;
  readonly seriesSubTarget: (group: string) => string;
  readonly children: (n: number) => string;
  readonly noChildren: string;
  readonly last14: string;
  readonly unit: string;
  readonly daily: string;
  readonly dailyHelp: string;
  readonly subTargets: string;
  readonly group: string;
  readonly riskHistory: string;
  readonly noRiskHistory: string;
  readonly from: string;
  readonly to: string;
  readonly when: string;
  readonly alerts: string;
  readonly noAlerts: string;
  readonly alertsUnavailable: string;
  readonly acknowledge: string;
  readonly ackNote: string;
  readonly recipient: string;
  readonly channel: string;
  readonly text: string;
  readonly reports: string;
  readonly noReports: string;
  readonly corrections: string;
  readonly noCorrections: string;
  /** A merged unit's page: where it went (the successor's link follows). */
  readonly mergedInto: string;
  readonly mergedPast: string;
  readonly reorganising: string;
  readonly correctedDay: string;
  readonly correctionChange: string;
  readonly correctedBy: string;
  readonly period: string;
  readonly finalReport: string;
  readonly week: (id: string) => string;
  readonly downloadCsv: string;
  readonly search: string;
  readonly searchPlaceholder: string;
  readonly noMatches: string;
  readonly admin: string;
  readonly recipients: string;
  readonly addRecipient: string;
  readonly name: string;
  readonly sms: string;
  readonly email: string;
  readonly minSeverity: string;
  readonly add: string;
  readonly remove: string;
  readonly removed: string;
  readonly added: string;
  readonly silences: string;
  readonly addSilence: string;
  readonly until: string;
  readonly reason: string;
  readonly endSilence: string;
  readonly none: string;
  readonly openUnit: (name: string) => string;
  readonly levels: Readonly<Record<RiskLevel, string>>;
  readonly levelNames: Readonly<Record<string, string>>;
  readonly alertKinds: Readonly<Record<string, string>>;
  readonly channels: Readonly<Record<string, string>>;
  readonly skip: string;
  readonly perDay: string;
}

const vi: Phrases = {
  appTitle: 'Tiến độ chiến dịch',
  signIn: 'Đăng nhập',
  signOut: 'Đăng xuất',
  signedOutTitle: 'Chưa đăng nhập',
  signedOutText: 'Mở đường dẫn đăng nhập bạn nhận được (hoặc đăng nhập qua cổng định danh) để xem tiến độ.',
  signInFailed: 'Đăng nhập không thành công',
  language: 'Ngôn ngữ',
  otherLanguage: 'English',
  campaigns: 'Chiến dịch',
  noCampaigns: 'Tài khoản này chưa được giao đơn vị nào.',
  loading: 'Đang tải…',
  error: 'Không tải được dữ liệu',
  retry: 'Thử lại',
  asOf: 'Số liệu đến ngày',
  asOfNow: 'Hôm nay',
  showingPast: (day) => `Đang xem số liệu đến hết ngày ${day}`,
  back: 'Quay lại',
  percent: 'Đạt',
  total: 'Đã thu nhận',
  target: 'Chỉ tiêu',
  remaining: 'Còn lại',
  daysLeft: 'Số ngày còn lại',
  deadline: 'Hạn',
  requiredPerDay: 'Cần mỗi ngày',
  observedPerDay: 'Thực tế mỗi ngày',
  paceRatio: 'Tỷ lệ tiến độ',
  projected: 'Dự kiến hoàn thành',
  never: 'không kịp',
  level: 'Mức',
  since: (when) => `từ ${when}`,
  today: 'Hôm nay',
  burnUp: 'Lũy kế so với chỉ tiêu',
  burnUpHelp:
    'Lũy kế thực tế, đường chỉ tiêu đến hạn, đường cần đạt từ hôm nay và dự báo theo tốc độ hiện tại.',
  seriesActual: 'Lũy kế thực tế',
  seriesTarget: 'Đường chỉ tiêu',
  seriesRequired: 'Cần đạt từ hôm nay',
  seriesProjection: 'Dự báo theo tốc độ',
  seriesSubTarget: (group) => `Chỉ tiêu nhóm ${group}`,
  children: (n) => `Đơn vị trực thuộc (${n}), chậm nhất trước`,
  noChildren: 'Không có đơn vị trực thuộc.',
  last14: '14 ngày',
  unit: 'Đơn vị',
  daily: 'Thu nhận theo ngày',
  dailyHelp: 'Số hồ sơ mỗi ngày; đường ngang là mức cần mỗi ngày.',
  subTargets: 'Chỉ tiêu theo nhóm',
  group: 'Nhóm',
  riskHistory: 'Lịch sử mức độ',
  noRiskHistory: 'Chưa có thay đổi mức độ.',
  from: 'Từ',
  to: 'Sang',
  when: 'Thời điểm',
  alerts: 'Cảnh báo đã gửi',
  noAlerts: 'Chưa có cảnh báo nào.',
  alertsUnavailable: 'Chưa xem được cảnh báo trên hệ thống này.',
  acknowledge: 'Đã tiếp nhận: tạm dừng nhắc lại',
  ackNote: 'Ghi chú',
  recipient: 'Người nhận',
  channel: 'Kênh',
  text: 'Nội dung',
  reports: 'Báo cáo',
  noReports: 'Chưa có báo cáo.',
  corrections: 'Đính chính số liệu',
  noCorrections: 'Chưa có đính chính nào.',
  mergedInto: 'Đơn vị đã sáp nhập vào',
  mergedPast: 'Số liệu dưới đây là của đơn vị trước khi sáp nhập; đơn vị không nhận thêm hồ sơ.',
  reorganising: 'Đang sắp xếp lại đơn vị hành chính: số liệu có thể còn thay đổi trong ít phút.',
  correctedDay: 'Ngày của số liệu',
  correctionChange: 'Từ → thành',
  correctedBy: 'Người đính chính',
  period: 'Kỳ',
  finalReport: 'Báo cáo tổng kết',
  week: (id) => `Tuần ${id.slice(6)}/${id.slice(0, 4)}`,
  downloadCsv: 'Tải CSV',
  search: 'Tìm đơn vị',
  searchPlaceholder: 'Tên hoặc mã (không cần dấu)',
  noMatches: 'Không tìm thấy đơn vị nào.',
  admin: 'Quản trị',
  recipients: 'Người nhận cảnh báo',
  addRecipient: 'Thêm người nhận',
  name: 'Họ tên / chức vụ',
  sms: 'Số điện thoại (SMS)',
  email: 'Thư điện tử',
  minSeverity: 'Nhận từ mức',
  add: 'Thêm',
  remove: 'Xóa',
  removed: 'Đã xóa.',
  added: 'Đã thêm.',
  silences: 'Tạm dừng cảnh báo',
  addSilence: 'Tạm dừng',
  until: 'Đến',
  reason: 'Lý do',
  endSilence: 'Kết thúc',
  none: 'Không có.',
  openUnit: (name) => `Xem ${name}`,
  levels: {
    done: 'đã đạt',
    on_track: 'đúng tiến độ',
    at_risk: 'nguy cơ chậm',
    critical: 'nguy cấp',
    missed: 'quá hạn chưa đạt',
    no_data: 'chưa có số liệu',
  },
  levelNames: { province: 'Tỉnh', district: 'Huyện', commune: 'Xã', nation: 'Toàn quốc' },
  alertKinds: {
    alert: 'cảnh báo',
    report: 'báo cáo',
    acknowledgement: 'đã tiếp nhận',
    silence: 'tạm dừng',
    resolved: 'đã hết',
  },
  channels: { sms: 'SMS', email: 'thư điện tử' },
  skip: 'Bỏ qua đến nội dung',
  perDay: '/ngày',
};

const en: Phrases = {
  appTitle: 'Campaign progress',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signedOutTitle: 'Not signed in',
  signedOutText:
    'Open the sign-in link you were given (or sign in through the identity provider) to see progress.',
  signInFailed: 'Sign-in failed',
  language: 'Language',
  otherLanguage: 'Tiếng Việt',
  campaigns: 'Campaigns',
  noCampaigns: 'This account holds no unit yet.',
  loading: 'Loading…',
  error: 'Could not load the data',
  retry: 'Retry',
  asOf: 'Figures as of',
  asOfNow: 'Today',
  showingPast: (day) => `Showing the figures as they stood at the end of ${day}`,
  back: 'Back',
  percent: 'Done',
  total: 'Taken in',
  target: 'Target',
  remaining: 'Remaining',
  daysLeft: 'Days left',
  deadline: 'Deadline',
  requiredPerDay: 'Required per day',
  observedPerDay: 'Observed per day',
  paceRatio: 'Pace ratio',
  projected: 'Projected completion',
  never: 'not in time',
  level: 'Level',
  since: (when) => `since ${when}`,
  today: 'Today',
  burnUp: 'Cumulative against target',
  burnUpHelp:
    'Actual cumulative intake, the target line to the deadline, the path required from today and the projection at the observed pace.',
  seriesActual: 'Actual (cumulative)',
  seriesTarget: 'Target line',
  seriesRequired: 'Required from today',
  seriesProjection: 'Projection at observed pace',
  seriesSubTarget: (group) => `Sub-target ${group}`,
  children: (n) => `Units below (${n}), worst first`,
  noChildren: 'No units below.',
  last14: '14 days',
  unit: 'Unit',
  daily: 'Intake per day',
  dailyHelp: 'Applications per day; the horizontal line is the rate required per day.',
  subTargets: 'Sub-targets by group',
  group: 'Group',
  riskHistory: 'Level history',
  noRiskHistory: 'No level change yet.',
  from: 'From',
  to: 'To',
  when: 'When',
  alerts: 'Alerts delivered',
  noAlerts: 'No alert yet.',
  alertsUnavailable: 'Alerts cannot be shown on this system yet.',
  acknowledge: 'Acknowledge: pause repeats',
  ackNote: 'Note',
  recipient: 'Recipient',
  channel: 'Channel',
  text: 'Text',
  reports: 'Reports',
  noReports: 'No report yet.',
  corrections: 'Corrections',
  noCorrections: 'No correction yet.',
  mergedInto: 'This unit was merged into',
  mergedPast: 'The figures below are its past, before the merger; it takes no more intake.',
  reorganising: 'Units are being reorganised: figures may still change for a few minutes.',
  correctedDay: 'Day corrected',
  correctionChange: 'From → to',
  correctedBy: 'By',
  period: 'Period',
  finalReport: 'Final report',
  week: (id) => `Week ${id.slice(6)} of ${id.slice(0, 4)}`,
  downloadCsv: 'Download CSV',
  search: 'Find a unit',
  searchPlaceholder: 'Name or code (accents optional)',
  noMatches: 'No unit found.',
  admin: 'Administration',
  recipients: 'Alert recipients',
  addRecipient: 'Add a recipient',
  name: 'Name / position',
  sms: 'Phone (SMS)',
  email: 'E-mail',
  minSeverity: 'From level',
  add: 'Add',
  remove: 'Remove',
  removed: 'Removed.',
  added: 'Added.',
  silences: 'Silences',
  addSilence: 'Silence',
  until: 'Until',
  reason: 'Reason',
  endSilence: 'End',
  none: 'None.',
  openUnit: (name) => `Open ${name}`,
  levels: {
    done: 'target reached',
    on_track: 'on track',
    at_risk: 'at risk',
    critical: 'critical',
    missed: 'deadline missed',
    no_data: 'no data yet',
  },
  levelNames: { province: 'Province', district: 'District', commune: 'Commune', nation: 'Nation' },
  alertKinds: {
    alert: 'alert',
    report: 'report',
    acknowledgement: 'acknowledged',
    silence: 'silence',
    resolved: 'resolved',
  },
  channels: { sms: 'SMS', email: 'e-mail' },
  skip: 'Skip to content',
  perDay: '/day',
};

export const PHRASES: Readonly<Record<Lang, Phrases>> = { vi, en };

const LOCALES: Readonly<Record<Lang, string>> = { vi: 'vi-VN', en: 'en-GB' };

export interface Format {
  readonly lang: Lang;
  readonly t: Phrases;
  /** 1.109.100 (vi) / 1,109,100 (en); null → "—". */
  int(n: number | null | undefined): string;
  /** Up to 2 decimals: 1,26 / 1.26. */
  dec(n: number | null | undefined, digits?: number): string;
  pct(n: number | null | undefined): string;
  /** A local day `YYYY-MM-DD`: 13/3/2021 (vi) / 13/03/2021 (en). */
  day(day: string | null | undefined): string;
  /** Day and month only: 13/3 (vi) / 13 Mar (en), for chart axes. */
  shortDay(day: string): string;
  /** An instant in the campaign's time zone: 22:30 13/3/2021. */
  dateTime(iso: string | null | undefined, timeZone: string): string;
}

export function formatFor(lang: Lang): Format {
  const locale = LOCALES[lang];
  const ints = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dayFormat = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const dash = '—';
  return {
    lang,
    t: PHRASES[lang],
    int: (n) => (n === null || n === undefined ? dash : ints.format(n)),
    dec: (n, digits = 2) =>
      n === null || n === undefined
        ? dash
        : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n),
    pct: (n) =>
      n === null || n === undefined
        ? dash
        : `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)} %`,
    day: (d) => (d ? dayFormat.format(new Date(`${d}T00:00:00Z`)) : dash),
    shortDay: (d) =>
      new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: lang === 'vi' ? 'numeric' : 'short',
        timeZone: 'UTC',
      }).format(new Date(`${d}T00:00:00Z`)),
    dateTime: (iso, timeZone) =>
      iso
        ? new Intl.DateTimeFormat(locale, {
            hour: '2-digit',
            minute: '2-digit',
            day: 'numeric',
            month: 'numeric',
            year: 'numeric',
            timeZone,
          }).format(new Date(iso))
        : dash,
  };
}

/** The first letters folded: "Thị trấn" → "thi tran" (lowercase, no Vietnamese diacritics, đ → d). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}
