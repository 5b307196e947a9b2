/**
 * What report texts say (shared/domain/report-render.ts), one table per language: the renderer picks
 * the recipient's table and never branches on the language itself. Arguments are already formatted
 * (vi-VN numbers and dates) unless typed as numbers.
 */
import type { Language } from '../vocabulary/alerts.js';

export interface ReportPhrases {
  readonly finalTitle: string;
  weekTitle(week: string): string;
  /** Population groups with a customary name; any other group code is shown as it is. */
  readonly groups: Readonly<Record<string, string>>;
  readonly sms: {
    readonly week: string;
    readonly period: string;
    rate(rate: string): string;
    was(level: string): string;
    readonly lowest: string;
    readonly highest: string;
    silent(count: number, days: number): string;
  };
  readonly email: {
    targetsAboveParent(sum: string, unit: string, target: string): string;
    noIntake(name: string, days: string, last: string | null): string;
    campaign(name: string): string;
    through(date: string): string;
    result(total: string, target: string, pct: string, deadline: string): string;
    received(received: string, average: string): string;
    corrections(count: string, net: string): string;
    atStart(total: string, pct: string, level: string): string;
    changedFrom(level: string): string;
    readonly unchanged: string;
    atEnd(total: string, pct: string, level: string, change: string): string;
    deadlinePassed(remaining: string): string;
    remaining(remaining: string, next: string, rate: string): string;
    readonly groupTargets: string;
    groupTarget(
      group: string,
      total: string,
      target: string,
      pct: string,
      deadline: string,
      level: string,
    ): string;
    subUnits(count: string): string;
    ranking(ranked: string): string;
    highest(ranked: string): string;
    lowest(ranked: string): string;
    readonly notes: string;
    readonly footer: string;
  };
}

const vi: ReportPhrases = {
  finalTitle: 'Báo cáo tổng kết',
  weekTitle: (week) => `Báo cáo tuần ${week}`,
  groups: { official: 'cán bộ, đảng viên' },
  sms: {
    week: 'tuần',
    period: 'cả kỳ',
    rate: (rate) => `cần ${rate}/ngày`,
    was: (level) => `trước: ${level}`,
    lowest: 'Thấp nhất',
    highest: 'Cao nhất',
    silent: (count, days) => `${count} đơn vị không có hồ sơ từ ${days} ngày.`,
  },
  email: {
    targetsAboveParent: (sum, unit, target) =>
      `- Tổng chỉ tiêu giao cho các đơn vị trực thuộc (${sum}) cao hơn chỉ tiêu của ${unit} (${target}): cần rà soát lại việc giao chỉ tiêu.`,
    noIntake: (name, days, last) =>
      `- ${name}: không thu nhận hồ sơ nào trong ${days} ngày liền${last ? ` (lần cuối ngày ${last})` : ' (chưa thu nhận hồ sơ nào từ đầu chiến dịch)'}.`,
    campaign: (name) => `Chiến dịch: ${name}`,
    through: (date) => `Số liệu đến hết ngày ${date}.`,
    result: (total, target, pct, deadline) =>
      `Kết quả: ${total} / chỉ tiêu ${target} hồ sơ (${pct}), hạn ${deadline}.`,
    received: (received, average) => `- Thu nhận trong kỳ: ${received} hồ sơ, bình quân ${average}/ngày.`,
    corrections: (count, net) => `- Đính chính trong kỳ: ${count}, làm tổng số thay đổi ${net} hồ sơ.`,
    atStart: (total, pct, level) => `- Đầu kỳ: ${total} (${pct}), mức ${level}.`,
    changedFrom: (level) => `chuyển từ ${level}`,
    unchanged: 'không đổi',
    atEnd: (total, pct, level, change) => `- Cuối kỳ: ${total} (${pct}), mức ${level} (${change}).`,
    deadlinePassed: (remaining) => `- Đã hết hạn, còn thiếu ${remaining} hồ sơ.`,
    remaining: (remaining, next, rate) =>
      `- Còn lại ${remaining} hồ sơ; tốc độ cần đạt từ ${next}: ${rate}/ngày.`,
    groupTargets: 'Chỉ tiêu theo nhóm:',
    groupTarget: (group, total, target, pct, deadline, level) =>
      `- ${group}: ${total} / ${target} (${pct}), hạn ${deadline}, mức ${level}.`,
    subUnits: (count) => `Đơn vị trực thuộc (${count}):`,
    ranking: (ranked) => `- Xếp hạng (cao nhất trước): ${ranked}.`,
    highest: (ranked) => `- Cao nhất: ${ranked}.`,
    lowest: (ranked) => `- Thấp nhất: ${ranked}.`,
    notes: 'Lưu ý:',
    footer: '— Thư gửi tự động từ hệ thống theo dõi chiến dịch. Vui lòng không trả lời thư này.',
  },
};

const en: ReportPhrases = {
  finalTitle: 'Final report',
  weekTitle: (week) => `Week ${week} report`,
  groups: { official: 'officials and party members' },
  sms: {
    week: 'week',
    period: 'period',
    rate: (rate) => `need ${rate}/day`,
    was: (level) => `was: ${level}`,
    lowest: 'Lowest',
    highest: 'Highest',
    silent: (count, days) => `${count} ${count === 1 ? 'unit' : 'units'} without intake ${days}+ days.`,
  },
  email: {
    targetsAboveParent: (sum, unit, target) =>
      `- The sub-units' targets add up to ${sum}, above the target of ${unit} (${target}): the allocation needs checking.`,
    noIntake: (name, days, last) =>
      `- ${name}: no intake for ${days} days in a row${last ? ` (last on ${last})` : ' (none since the campaign began)'}.`,
    campaign: (name) => `Campaign: ${name}`,
    through: (date) => `Figures through ${date}.`,
    result: (total, target, pct, deadline) =>
      `Result: ${total} of a target of ${target} applications (${pct}), deadline ${deadline}.`,
    received: (received, average) => `- Received in the period: ${received}, on average ${average}/day.`,
    corrections: (count, net) => `- Corrections in the period: ${count}, net effect on the totals ${net}.`,
    atStart: (total, pct, level) => `- At the start: ${total} (${pct}), ${level}.`,
    changedFrom: (level) => `was ${level}`,
    unchanged: 'unchanged',
    atEnd: (total, pct, level, change) => `- At the end: ${total} (${pct}), ${level} (${change}).`,
    deadlinePassed: (remaining) => `- The deadline has passed, ${remaining} short.`,
    remaining: (remaining, next, rate) =>
      `- Remaining ${remaining}; rate required from ${next}: ${rate}/day.`,
    groupTargets: 'Group targets:',
    groupTarget: (group, total, target, pct, deadline, level) =>
      `- ${group}: ${total} of ${target} (${pct}), deadline ${deadline}, ${level}.`,
    subUnits: (count) => `Sub-units (${count}):`,
    ranking: (ranked) => `- Ranking (highest first): ${ranked}.`,
    highest: (ranked) => `- Highest: ${ranked}.`,
    lowest: (ranked) => `- Lowest: ${ranked}.`,
    notes: 'Notes:',
    footer: '— Automatic message from the campaign monitoring system. Please do not reply.',
  },
};

export const REPORT_PHRASES: Readonly<Record<Language, ReportPhrases>> = { vi, en };
