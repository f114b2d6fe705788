import type { DeadlineKind, SlaState } from '../../src/cases/deadlines';
import type { CaseEventType, CaseStatus } from '../../src/cases/types';
import type { Language } from '../../src/taxonomy';

/**
 * The words of the public tracking page in one language. Category names come from the bot's
 * texts (`intents/i18n`, `categories.*`) and agency names from the directory; everything else the
 * page says is here.
 */
export interface PageTexts {
  /** The name of the language in itself, for the link that switches to it. */
  languageName: string;
  /** The link that switches to this language, read out in this language. */
  switchTo: string;
  site: string;
  skipToContent: string;
  formTitle: string;
  formIntro: string;
  label: string;
  hint: string;
  submit: string;
  /** The heading of the form under a case or an error. */
  searchAgain: string;
  emptyId: string;
  badId: string;
  caseTitle: (id: string) => string;
  status: string;
  category: string;
  agency: string;
  timeline: string;
  noTimeline: string;
  confidential: string;
  deadline: Record<DeadlineKind, string>;
  /** The label of the deadline row when none runs. */
  deadlineNone: string;
  noDeadline: string;
  sla: Record<SlaState, string>;
  statuses: Record<CaseStatus, string>;
  events: Record<CaseEventType, string>;
  transferredTo: (agency: string) => string;
  note: string;
  notFoundTitle: string;
  notFound: (id: string) => string;
  malformedTitle: string;
  malformed: string;
  tooManyTitle: string;
  tooMany: (seconds: number) => string;
  unavailableTitle: string;
  unavailable: string;
  privacy: string;
}

const ID: PageTexts = {
  languageName: 'Bahasa Indonesia',
  switchTo: 'Tampilkan dalam Bahasa Indonesia',
  site: 'Suara · Layanan Pengaduan Masyarakat',
  skipToContent: 'Langsung ke isi',
  formTitle: 'Lacak laporan',
  formIntro:
    'Masukkan nomor laporan yang Anda terima saat melapor untuk melihat status dan perkembangannya.',
  label: 'Nomor laporan',
  hint: 'Contoh: ADU-7K3M9Q. Huruf besar atau kecil sama saja.',
  submit: 'Lacak',
  searchAgain: 'Lacak laporan lain',
  emptyId: 'Tulis nomor laporan terlebih dahulu.',
  badId:
    'Itu bukan nomor laporan. Nomor laporan diawali ADU- dan diikuti 6 huruf atau angka, misalnya ADU-7K3M9Q.',
  caseTitle: (id) => `Laporan ${id}`,
  status: 'Status',
  category: 'Kategori',
  agency: 'Instansi yang menangani',
  timeline: 'Riwayat penanganan',
  noTimeline: 'Belum ada riwayat yang dapat ditampilkan.',
  confidential:
    'Laporan ini bersifat rahasia: hanya statusnya yang ditampilkan kepada publik. Pelapor menerima perkembangannya langsung.',
  deadline: {
    verify: 'Batas verifikasi',
    follow_up: 'Batas tindak lanjut',
    auto_close: 'Ditutup otomatis jika pelapor tidak menanggapi sampai',
  },
  deadlineNone: 'Tenggat',
  noDeadline: 'Tidak ada tenggat yang sedang berjalan.',
  sla: {
    on_time: 'Sesuai jadwal',
    due_soon: 'Segera jatuh tempo',
    overdue: 'Melewati batas waktu',
  },
  statuses: {
    received: 'Diterima',
    verified: 'Terverifikasi',
    in_progress: 'Sedang ditindaklanjuti',
    needs_info: 'Menunggu informasi tambahan dari pelapor',
    resolved: 'Selesai ditangani, menunggu konfirmasi pelapor',
    closed: 'Ditutup',
    rejected: 'Tidak dapat diproses',
    reopened: 'Dibuka kembali',
  },
  events: {
    created: 'Laporan diterima',
    verify: 'Laporan diverifikasi',
    start: 'Mulai ditindaklanjuti',
    request_info: 'Petugas meminta informasi tambahan',
    info_received: 'Informasi tambahan diterima',
    resolve: 'Dinyatakan selesai',
    reject: 'Dinyatakan tidak dapat diproses',
    close: 'Laporan ditutup',
    reopen: 'Laporan dibuka kembali',
    transfer: 'Dialihkan ke instansi lain',
    note: 'Catatan petugas',
  },
  transferredTo: (agency) => `Dialihkan ke ${agency}`,
  note: 'Catatan petugas',
  notFoundTitle: 'Laporan tidak ditemukan',
  notFound: (id) =>
    `Tidak ada laporan dengan nomor ${id}. Periksa kembali nomornya pada pesan konfirmasi yang Anda terima.`,
  malformedTitle: 'Nomor laporan tidak dikenali',
  malformed:
    'Nomor laporan diawali ADU- dan diikuti 6 huruf atau angka, misalnya ADU-7K3M9Q. Periksa kembali nomornya.',
  tooManyTitle: 'Terlalu banyak permintaan',
  tooMany: (seconds) =>
    `Terlalu banyak pencarian dari alamat Anda. Silakan coba lagi dalam ${seconds} detik.`,
  unavailableTitle: 'Layanan sedang terganggu',
  unavailable: 'Data laporan tidak dapat dibaca saat ini. Silakan coba lagi sebentar lagi.',
  privacy:
    'Halaman ini hanya menampilkan status dan riwayat penanganan. Data pribadi dan isi laporan tidak pernah ditampilkan.',
};

const EN: PageTexts = {
  languageName: 'English',
  switchTo: 'Show in English',
  site: 'Suara · Public Complaint Service',
  skipToContent: 'Skip to content',
  formTitle: 'Track a report',
  formIntro:
    'Enter the report number you received when you filed it to see its status and progress.',
  label: 'Report number',
  hint: 'For example ADU-7K3M9Q. Upper or lower case does not matter.',
  submit: 'Track',
  searchAgain: 'Track another report',
  emptyId: 'Please enter a report number first.',
  badId:
    'That is not a report number. A report number starts with ADU- followed by 6 letters or digits, for example ADU-7K3M9Q.',
  caseTitle: (id) => `Report ${id}`,
  status: 'Status',
  category: 'Category',
  agency: 'Agency responsible',
  timeline: 'History',
  noTimeline: 'There is no history to show yet.',
  confidential:
    'This report is confidential: only its status is shown publicly. The reporter is told of its progress directly.',
  deadline: {
    verify: 'Verification due',
    follow_up: 'Follow-up due',
    auto_close: 'Closes automatically if the reporter does not reply by',
  },
  deadlineNone: 'Deadline',
  noDeadline: 'No deadline is running.',
  sla: {
    on_time: 'On time',
    due_soon: 'Due soon',
    overdue: 'Overdue',
  },
  statuses: {
    received: 'Received',
    verified: 'Verified',
    in_progress: 'In progress',
    needs_info: 'Waiting for more information from the reporter',
    resolved: "Resolved, waiting for the reporter's confirmation",
    closed: 'Closed',
    rejected: 'Could not be processed',
    reopened: 'Reopened',
  },
  events: {
    created: 'Report received',
    verify: 'Report verified',
    start: 'Work started',
    request_info: 'The officer asked for more information',
    info_received: 'More information received',
    resolve: 'Marked as resolved',
    reject: 'Marked as not possible to process',
    close: 'Report closed',
    reopen: 'Report reopened',
    transfer: 'Transferred to another agency',
    note: 'Note from the officer',
  },
  transferredTo: (agency) => `Transferred to ${agency}`,
  note: 'Note from the officer',
  notFoundTitle: 'Report not found',
  notFound: (id) =>
    `There is no report with the number ${id}. Please check the number in the confirmation message you received.`,
  malformedTitle: 'Report number not recognised',
  malformed:
    'A report number starts with ADU- followed by 6 letters or digits, for example ADU-7K3M9Q. Please check the number.',
  tooManyTitle: 'Too many requests',
  tooMany: (seconds) =>
    `Too many look-ups from your address. Please try again in ${seconds} seconds.`,
  unavailableTitle: 'Service disruption',
  unavailable: 'Report data cannot be read right now. Please try again shortly.',
  privacy:
    'This page shows only the status and the handling history. Personal data and the contents of a report are never shown.',
};

/**
 * The tracking page's words in a language.
 *
 * @example
 * pageTexts('en').statuses.in_progress // 'In progress'
 */
export function pageTexts(lang: Language): PageTexts {
  return lang === 'en' ? EN : ID;
}
