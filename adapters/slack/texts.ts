import type { DeadlineKind, SlaState } from '../../src/cases/deadlines';
import type { CaseEventType, CaseKind, CaseStatus, Priority } from '../../src/cases/types';
import type { Language } from '../../src/taxonomy';

/** Everything agency staff read in Slack, in one language. */
export interface StaffTexts {
  kind: Record<CaseKind, string>;
  status: Record<CaseStatus, string>;
  priority: Record<Priority, string>;
  sla: Record<SlaState, string>;
  deadline: Record<DeadlineKind, string>;
  field: {
    status: string;
    category: string;
    priority: string;
    agency: string;
    deadline: string;
    location: string;
    reporter: string;
    attachments: string;
  };
  noDeadline: string;
  map: string;
  /** How many files the citizen sent. */
  attachments: (n: number) => string;
  reporter: { anonymous: string; confidential: string; unnamed: string };
  /** Who did something, when not a Slack user. */
  actor: { citizen: string; system: string };
  button: {
    ack: string;
    needInfo: string;
    resolve: string;
    transfer: string;
    reject: string;
    reply: string;
    route: string;
  };
  modal: {
    submit: string;
    cancel: string;
    needInfo: { title: string; label: string; hint: string };
    resolve: { title: string; label: string; hint: string };
    reject: { title: string; label: string; hint: string };
    reply: { title: string; label: string; hint: string };
    transfer: { title: string; agency: string; note: string; hint: string };
  };
  /** What an event did, after the actor's name ("<@U1> resolved the report"). */
  event: Record<Exclude<CaseEventType, 'transfer' | 'note'>, string> & {
    transfer: (from: string, to: string) => string;
    publicNote: string;
    internalNote: string;
    rating: (n: number) => string;
  };
  movedTo: (agency: string) => string;
  updated: (at: string) => string;
  refused: {
    wrongChannel: (id: string, agency: string) => string;
    unbound: string;
    notFound: (id: string) => string;
    noteRequired: string;
    invalidTransition: (id: string, status: string) => string;
    sameAgency: string;
    unknownAgency: string;
    busy: string;
    failed: string;
  };
  command: {
    help: (command: string) => string;
    list: (n: number, agency: string) => string;
    listEmpty: (agency: string) => string;
    more: (n: number) => string;
    unknownStatus: (status: string) => string;
    showUsage: (command: string) => string;
    stats: (agency: string) => string;
    statsLine: (status: string, n: number) => string;
    statsSla: (overdue: number, dueSoon: number) => string;
    dashboard: (url: string, agency: string) => string;
    dashboardNoUrl: string;
  };
  digest: {
    title: (date: string) => string;
    overdue: string;
    dueSoon: string;
  };
}

const id: StaffTexts = {
  kind: { complaint: 'Pengaduan', aspiration: 'Aspirasi', handoff: 'Minta petugas' },
  status: {
    received: 'Diterima',
    verified: 'Terverifikasi',
    in_progress: 'Ditindaklanjuti',
    needs_info: 'Menunggu info pelapor',
    resolved: 'Selesai',
    closed: 'Ditutup',
    rejected: 'Ditolak',
    reopened: 'Dibuka kembali',
  },
  priority: { normal: 'Normal', urgent: ':rotating_light: Mendesak' },
  sla: { on_time: 'tepat waktu', due_soon: 'segera jatuh tempo', overdue: 'terlambat' },
  deadline: { verify: 'Verifikasi', follow_up: 'Tindak lanjut', auto_close: 'Tutup otomatis' },
  field: {
    status: 'Status',
    category: 'Kategori',
    priority: 'Prioritas',
    agency: 'Instansi',
    deadline: 'Tenggat',
    location: 'Lokasi',
    reporter: 'Pelapor',
    attachments: 'Lampiran',
  },
  noDeadline: '—',
  map: 'peta',
  attachments: (n) => `${n} berkas`,
  reporter: {
    anonymous: 'Anonim (identitas tidak ditampilkan)',
    confidential: 'Rahasia (identitas tidak ditampilkan)',
    unnamed: 'tanpa nama',
  },
  actor: { citizen: 'Pelapor', system: 'Sistem' },
  button: {
    ack: 'Tindak lanjuti',
    needInfo: 'Minta info',
    resolve: 'Selesaikan',
    transfer: 'Pindahkan',
    reject: 'Tolak',
    reply: 'Balas pelapor',
    route: 'Teruskan ke instansi',
  },
  modal: {
    submit: 'Kirim',
    cancel: 'Batal',
    needInfo: {
      title: 'Minta informasi',
      label: 'Pertanyaan untuk pelapor',
      hint: 'Dikirim ke pelapor apa adanya.',
    },
    resolve: {
      title: 'Selesaikan laporan',
      label: 'Catatan penyelesaian',
      hint: 'Dikirim ke pelapor: apa yang sudah dilakukan.',
    },
    reject: {
      title: 'Tolak laporan',
      label: 'Alasan penolakan',
      hint: 'Dikirim ke pelapor.',
    },
    reply: {
      title: 'Balas pelapor',
      label: 'Pesan untuk pelapor',
      hint: 'Dikirim ke pelapor di kanal yang ia pakai.',
    },
    transfer: {
      title: 'Pindahkan laporan',
      agency: 'Instansi tujuan',
      note: 'Catatan internal (opsional)',
      hint: 'Tidak dikirim ke pelapor.',
    },
  },
  event: {
    created: 'Laporan masuk',
    verify: 'memverifikasi laporan',
    start: 'menindaklanjuti laporan',
    request_info: 'meminta informasi dari pelapor',
    info_received: 'mengirim informasi tambahan',
    resolve: 'menyatakan laporan selesai',
    reject: 'menolak laporan',
    close: 'menutup laporan',
    reopen: 'membuka kembali laporan',
    transfer: (from, to) => `memindahkan laporan dari ${from} ke ${to}`,
    publicNote: 'membalas pelapor',
    internalNote: 'menambah catatan internal',
    rating: (n) => `nilai ${n}/5`,
  },
  movedTo: (agency) => `:arrow_right: Dipindahkan ke ${agency}`,
  updated: (at) => `Diperbarui ${at}`,
  refused: {
    wrongChannel: (tid, agency) =>
      `Laporan ${tid} ditangani ${agency}; kanal ini tidak dapat mengubahnya.`,
    unbound:
      'Kanal ini belum terhubung ke instansi mana pun (lihat slack_channel di agencies.yaml).',
    notFound: (tid) => `Laporan ${tid} tidak ditemukan.`,
    noteRequired: 'Mohon isi kolom ini.',
    invalidTransition: (tid, status) =>
      `Laporan ${tid} berstatus "${status}"; tindakan itu tidak bisa dilakukan sekarang.`,
    sameAgency: 'Laporan sudah di instansi itu.',
    unknownAgency: 'Instansi itu tidak ada di direktori.',
    busy: 'Laporan sedang diubah orang lain; coba lagi.',
    failed: 'Maaf, tindakan gagal. Coba lagi sebentar lagi.',
  },
  command: {
    help: (c) =>
      `Perintah: \`${c} list [status]\` (laporan terbuka), \`${c} show ADU-XXXXXX\`, \`${c} stats\`, \`${c} dashboard\` (tautan masuk dasbor), \`${c} lapor\` (catat laporan dari telepon atau loket).`,
    list: (n, agency) => `*${n} laporan — ${agency}*`,
    listEmpty: (agency) => `Tidak ada laporan untuk ${agency}.`,
    more: (n) => `…dan ${n} lainnya.`,
    unknownStatus: (s) => `Status "${s}" tidak dikenal.`,
    showUsage: (c) => `Tulis nomor laporan, misalnya \`${c} show ADU-7K3M9Q\`.`,
    stats: (agency) => `*Statistik — ${agency}*`,
    statsLine: (s, n) => `${s}: ${n}`,
    statsSla: (overdue, dueSoon) => `Terlambat: ${overdue} · Segera jatuh tempo: ${dueSoon}`,
    dashboard: (url, agency) =>
      `Tautan masuk dasbor ${agency} untuk Anda saja (berlaku 10 menit, sekali pakai; jangan dibagikan):\n${url}`,
    dashboardNoUrl:
      'Dasbor belum bisa dibuka: SUARA_PUBLIC_URL belum diatur. Hubungi pengelola Suara.',
  },
  digest: {
    title: (date) => `:alarm_clock: Pengingat tenggat ${date}`,
    overdue: 'Terlambat',
    dueSoon: 'Segera jatuh tempo',
  },
};

const en: StaffTexts = {
  kind: { complaint: 'Complaint', aspiration: 'Aspiration', handoff: 'Asks for an officer' },
  status: {
    received: 'Received',
    verified: 'Verified',
    in_progress: 'In progress',
    needs_info: 'Waiting for the reporter',
    resolved: 'Resolved',
    closed: 'Closed',
    rejected: 'Rejected',
    reopened: 'Reopened',
  },
  priority: { normal: 'Normal', urgent: ':rotating_light: Urgent' },
  sla: { on_time: 'on time', due_soon: 'due soon', overdue: 'overdue' },
  deadline: { verify: 'Verify', follow_up: 'Follow-up', auto_close: 'Auto-close' },
  field: {
    status: 'Status',
    category: 'Category',
    priority: 'Priority',
    agency: 'Agency',
    deadline: 'Deadline',
    location: 'Location',
    reporter: 'Reporter',
    attachments: 'Attachments',
  },
  noDeadline: '—',
  map: 'map',
  attachments: (n) => `${n} file${n === 1 ? '' : 's'}`,
  reporter: {
    anonymous: 'Anonymous (identity not shown)',
    confidential: 'Confidential (identity not shown)',
    unnamed: 'no name',
  },
  actor: { citizen: 'The reporter', system: 'The system' },
  button: {
    ack: 'Acknowledge',
    needInfo: 'Need info',
    resolve: 'Resolve',
    transfer: 'Transfer',
    reject: 'Reject',
    reply: 'Reply to citizen',
    route: 'Route to agency',
  },
  modal: {
    submit: 'Send',
    cancel: 'Cancel',
    needInfo: {
      title: 'Ask for information',
      label: 'Question for the reporter',
      hint: 'Sent to the reporter as written.',
    },
    resolve: {
      title: 'Resolve the report',
      label: 'Resolution note',
      hint: 'Sent to the reporter: what was done.',
    },
    reject: { title: 'Reject the report', label: 'Reason', hint: 'Sent to the reporter.' },
    reply: {
      title: 'Reply to the citizen',
      label: 'Message for the reporter',
      hint: 'Sent to the reporter on the channel they used.',
    },
    transfer: {
      title: 'Transfer the report',
      agency: 'New agency',
      note: 'Internal note (optional)',
      hint: 'Not sent to the reporter.',
    },
  },
  event: {
    created: 'Report received',
    verify: 'verified the report',
    start: 'acknowledged the report (in progress)',
    request_info: 'asked the reporter for information',
    info_received: 'sent more information',
    resolve: 'resolved the report',
    reject: 'rejected the report',
    close: 'closed the report',
    reopen: 'reopened the report',
    transfer: (from, to) => `transferred the report from ${from} to ${to}`,
    publicNote: 'replied to the reporter',
    internalNote: 'added an internal note',
    rating: (n) => `rating ${n}/5`,
  },
  movedTo: (agency) => `:arrow_right: Transferred to ${agency}`,
  updated: (at) => `Updated ${at}`,
  refused: {
    wrongChannel: (tid, agency) =>
      `Report ${tid} is handled by ${agency}; this channel cannot change it.`,
    unbound: 'This channel is not bound to an agency (see slack_channel in agencies.yaml).',
    notFound: (tid) => `Report ${tid} was not found.`,
    noteRequired: 'Please fill in this field.',
    invalidTransition: (tid, status) =>
      `Report ${tid} is "${status}"; that action is not possible now.`,
    sameAgency: 'The report is already with that agency.',
    unknownAgency: 'That agency is not in the directory.',
    busy: 'Someone else is changing the report; please try again.',
    failed: 'Sorry, the action failed. Please try again in a moment.',
  },
  command: {
    help: (c) =>
      `Commands: \`${c} list [status]\` (open reports), \`${c} show ADU-XXXXXX\`, \`${c} stats\`, \`${c} dashboard\` (a sign-in link to the dashboard), \`${c} lapor\` (enter a report taken by phone or at the counter).`,
    list: (n, agency) => `*${n} report${n === 1 ? '' : 's'} — ${agency}*`,
    listEmpty: (agency) => `No reports for ${agency}.`,
    more: (n) => `…and ${n} more.`,
    unknownStatus: (s) => `Unknown status "${s}".`,
    showUsage: (c) => `Give a report number, e.g. \`${c} show ADU-7K3M9Q\`.`,
    stats: (agency) => `*Statistics — ${agency}*`,
    statsLine: (s, n) => `${s}: ${n}`,
    statsSla: (overdue, dueSoon) => `Overdue: ${overdue} · Due soon: ${dueSoon}`,
    dashboard: (url, agency) =>
      `Your personal sign-in link to the ${agency} dashboard (works once, for 10 minutes; do not share it):\n${url}`,
    dashboardNoUrl:
      "The dashboard cannot be opened: SUARA_PUBLIC_URL is not set. Ask Suara's administrator.",
  },
  digest: {
    title: (date) => `:alarm_clock: Deadline reminder for ${date}`,
    overdue: 'Overdue',
    dueSoon: 'Due soon',
  },
};

/** Staff-facing texts by language (`SLACK_LANGUAGE`). */
export const STAFF_TEXTS: Readonly<Record<Language, StaffTexts>> = { id, en };
