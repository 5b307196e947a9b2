/** Alert texts in Vietnamese (SMS phrases are later written without diacritics by toGsm7). */
import { ownEntry } from './lookup.js';
import type { AlertPhrases } from './phrases.js';

const UNIT_NOUNS: Readonly<Record<string, string>> = {
  province: 'tỉnh',
  city: 'thành phố',
  district: 'huyện',
  commune: 'xã',
  ward: 'phường',
  town: 'thị trấn',
  department: 'sở, ngành',
};

const OFFICIALS = 'Cán bộ CCVC';
const FOOTER = '— Thư gửi tự động từ hệ thống theo dõi chiến dịch. Vui lòng không trả lời thư này.';

export const vi: AlertPhrases = {
  levels: {
    done: 'đã đạt chỉ tiêu',
    on_track: 'đúng tiến độ',
    at_risk: 'nguy cơ chậm',
    critical: 'nguy cấp',
    missed: 'quá hạn chưa đạt',
    no_data: 'chưa có số liệu',
  },
  groups: { official: OFFICIALS, officials: OFFICIALS, student: 'Học sinh', worker: 'Công nhân' },
  unknownGroup: (code) => `Nhóm ${code}`,
  // Vietnamese nouns have no plural.
  unitNoun: (level) => ownEntry(UNIT_NOUNS, level) ?? 'đơn vị',

  sms: {
    due: 'hạn',
    improved: 'CẢI THIỆN',
    still: 'VẪN',
    resolved: 'HẾT CẢNH BÁO',
    alerting: 'cảnh báo',
    including: 'Gồm',
    silenceOver: (name, level, pct, from) =>
      `${name}: HẾT TẠM NGỪNG, nay ${level} ${pct}${from ? ` (trước: ${from})` : ''}`,
    days: () => 'NGÀY',
    shortBy: (remaining) => `còn thiếu ${remaining}`,
    compactRates: (required, observed) => `cần ${required}, đạt ${observed}/ngày`,
    escalations: (count, noun, days) => `${count} ${noun} nguy cấp từ ${days} ngày`,
  },
  notAvailable: 'chưa có',
  rates: (required, observed) => `cần ${required}/ngày, thực tế ${observed}/ngày`,

  subject: {
    resolved: 'het canh bao',
    still: 'van',
    silenceOver: 'het tam ngung, nay',
    improved: 'cai thien',
  },

  email: {
    done: (total, target, pct) => `- Kết quả: ${total} / chỉ tiêu ${target} (${pct})`,
    remaining: (remaining, daysLeft) => `- Còn lại: ${remaining}, còn ${daysLeft} ngày`,
    deadlinePassed: 'đã hết hạn',
    perDay: 'ngày',
    notYetKnown: 'chưa có',
    paceOfRequired: (pace) => ` (bằng ${pace} mức cần)`,
    rateLine: (required, observed, pace) =>
      `- Tốc độ cần đạt: ${required}; thực tế (bình quân 7 ngày gần nhất): ${observed}${pace}`,
    notProjected: 'chưa ước tính được',
    projected: (date) => `- Dự kiến hoàn thành: ${date}`,
    improved: (name, from, to) => `CẢI THIỆN: ${name} chuyển từ mức "${from}" sang mức "${to}".`,
    alert: (name, to, from) =>
      from === null
        ? `CẢNH BÁO ${to.toUpperCase()}: ${name} ở mức "${to}".`
        : `CẢNH BÁO ${to.toUpperCase()}: ${name} chuyển từ mức "${from}" sang mức "${to}".`,
    reminder: (name, to, since) => `NHẮC LẠI: ${name} vẫn ở mức "${to}"${since ? ` từ ${since}` : ''}.`,
    resolved: (name, to, from) =>
      `HẾT CẢNH BÁO: ${name} đã trở lại mức "${to}"${from === null ? '' : ` (trước đó: ${from})`}.`,
    silenceOver: (name, since, from, to, worst) =>
      `HẾT TẠM NGỪNG CẢNH BÁO: trong thời gian tạm ngừng${since ? ` (từ ${since})` : ''}, ${name} chuyển từ mức "${from}" sang mức "${to}"; mức xấu nhất trong thời gian đó: "${worst}".`,
    subTarget: (group, deadline) => `Chỉ tiêu riêng "${group}" (hạn ${deadline})`,
    criticalFor: (critical, days, since) =>
      `${critical} liên tục${days === null ? '' : ` ${days} ngày`}${since ? ` (từ ${since})` : ''}`,
    resolvedTo: (level) => `hết cảnh báo, ${level}`,
    projectedLower: (date) => `dự kiến hoàn thành ${date}`,
    notEvaluated: 'chưa đánh giá',
    subUnits: (total, noun, parts) => `Đơn vị trực thuộc (${total} ${noun}): ${parts}.`,
    digestCritical: (count, noun, days) => `${count} ${noun} nguy cấp liên tục từ ${days} ngày trở lên`,
    digestChanged: (count, noun) => `${count} ${noun} thay đổi mức cảnh báo`,
    time: (clock, date) => `${clock} ngày ${date}`,
    campaign: (name) => `Chiến dịch: ${name}`,
    toLeaders: (scope) => `Gửi lãnh đạo: ${scope}`,
    figuresAsOf: (time) => `Số liệu lúc ${time}`,
    overall: (name, level) => `Tình hình ${name}: ${level}.`,
    escalatedHeading: (scope) => `Nguy cấp kéo dài, báo lên lãnh đạo ${scope}:`,
    attentionHeading: (shown, total) => `Cần chú ý nhất (${shown}/${total}):`,
    andMore: (more, noun) => `... và ${more} ${noun} khác.`,
    details: (link) => `Xem chi tiết: ${link}`,
    smsCapped:
      'Lưu ý: chiến dịch đã dùng hết hạn mức SMS của tháng; cảnh báo được gửi qua thư điện tử thay cho SMS.',
    footer: FOOTER,
  },

  budget: {
    subject: (campaign, used, cap, period) => `${campaign}: da dung ${used}/${cap} SMS thang ${period}`,
    sms: (campaign, used, cap, period) =>
      `${campaign}: da dung ${used}/${cap} SMS thang ${period}. Khi het han muc, canh bao gui qua e-mail.`,
    used: (used, cap, period) =>
      `Chiến dịch đã dùng ${used} trên hạn mức ${cap} tin nhắn SMS của tháng ${period} (80 %).`,
    atCap:
      'Khi đạt hạn mức, cảnh báo sẽ gửi qua thư điện tử cho lãnh đạo có địa chỉ thư; lãnh đạo chỉ nhận SMS vẫn nhận cảnh báo nguy cấp.',
  },
};
