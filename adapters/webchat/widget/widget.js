/*!
 * Suara web chat widget — self-contained, no framework, no third-party requests.
 * Embed: <script src="https://HOST/widget.js" data-suara-url="https://HOST" defer></script>
 * Talks Direct Line 3.0 to data-suara-url only. Plain ES2019 in an IIFE; every piece of text
 * is put in the page with textContent, never parsed as HTML.
 */
(() => {
  'use strict';
  if (window.__suaraWidget) return;
  window.__suaraWidget = true;

  const script =
    document.currentScript ||
    document.querySelector('script[data-suara-url],script[src*="widget.js"]');
  const attr = (name) => (script ? script.getAttribute(name) : null);
  const scriptOrigin = () => {
    try {
      return new URL(script.src, location.href).origin;
    } catch (_e) {
      return location.origin;
    }
  };
  const BASE = (attr('data-suara-url') || scriptOrigin()).replace(/\/+$/, '');
  const API = `${BASE}/v3/directline`;
  const KEY = `suara.webchat:${BASE}`;
  const MAX_PHOTO = 5 * 1024 * 1024;
  const MAX_TEXT = 2000;
  const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

  const TEXTS = {
    id: {
      open: 'Buka chat layanan pengaduan',
      openUnread: 'Buka chat layanan pengaduan (ada pesan baru)',
      close: 'Tutup chat',
      title: 'Layanan Pengaduan',
      subtitle: 'Suara · asisten warga',
      intro:
        'Halo! Ceritakan masalah yang ingin Anda laporkan, atau tanyakan layanan. Jangan kirim kata sandi atau PIN.',
      log: 'Percakapan',
      input: 'Tulis pesan',
      placeholder: 'Tulis pesan…',
      send: 'Kirim',
      attach: 'Lampirkan foto',
      location: 'Bagikan lokasi',
      locationWhy:
        'Lokasi hanya dipakai untuk menandai tempat masalah di laporan ini. Browser akan meminta izin Anda.',
      locationDenied: 'Lokasi tidak dibagikan. Anda bisa menuliskan alamat atau patokannya.',
      locationNone: 'Browser ini tidak bisa membagikan lokasi. Silakan tulis alamatnya.',
      locationShared: '📍 Lokasi dibagikan',
      photo: '📷 Foto',
      photoTooBig: 'Foto terlalu besar (maksimal 5 MB).',
      photoType: 'Hanya foto JPEG, PNG atau WebP yang bisa dikirim.',
      typing: 'Suara sedang mengetik…',
      connecting: 'Menghubungkan…',
      offline: 'Koneksi terputus. Mencoba lagi…',
      failed: 'Gagal terkirim. Coba lagi.',
      you: 'Anda',
      bot: 'Suara',
      lang: 'EN',
      langLabel: 'Switch to English',
    },
    en: {
      open: 'Open the complaints chat',
      openUnread: 'Open the complaints chat (new message)',
      close: 'Close chat',
      title: 'Complaints Service',
      subtitle: 'Suara · citizen assistant',
      intro:
        'Hello! Tell us about the problem you want to report, or ask about a service. Never send passwords or PINs.',
      log: 'Conversation',
      input: 'Type a message',
      placeholder: 'Type a message…',
      send: 'Send',
      attach: 'Attach a photo',
      location: 'Share location',
      locationWhy:
        'Your location is only used to mark where the problem is in this report. Your browser will ask for permission.',
      locationDenied: 'Location not shared. You can type the address or a landmark instead.',
      locationNone: 'This browser cannot share a location. Please type the address.',
      locationShared: '📍 Location shared',
      photo: '📷 Photo',
      photoTooBig: 'The photo is too large (5 MB at most).',
      photoType: 'Only JPEG, PNG or WebP photos can be sent.',
      typing: 'Suara is typing…',
      connecting: 'Connecting…',
      offline: 'Connection lost. Retrying…',
      failed: 'Not sent. Please try again.',
      you: 'You',
      bot: 'Suara',
      lang: 'ID',
      langLabel: 'Ganti ke Bahasa Indonesia',
    },
  };

  // ---------- storage (may be unavailable: private mode, blocked cookies) ----------
  const load = () => {
    try {
      const v = JSON.parse(localStorage.getItem(KEY) || '{}');
      return v && typeof v === 'object' ? v : {};
    } catch (_e) {
      return {};
    }
  };
  const store = load();
  const save = () => {
    try {
      localStorage.setItem(KEY, JSON.stringify(store));
    } catch (_e) {
      /* storage unavailable: the chat still works for this page view */
    }
  };
  const randomId = () => {
    const b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return `dl_${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
  };
  if (typeof store.userId !== 'string' || !/^dl_[0-9a-f]{24}$/.test(store.userId)) {
    store.userId = randomId();
  }
  const pickLang = (v) => {
    const s = String(v || '')
      .slice(0, 2)
      .toLowerCase();
    return s === 'en' || s === 'id' ? s : null;
  };
  let lang =
    pickLang(store.lang) ||
    pickLang(attr('data-lang')) ||
    (pickLang(navigator.language) === 'en' ? 'en' : 'id');
  const t = (k) => TEXTS[lang][k];
  const USER = store.userId;

  // ---------- DOM helpers (textContent only) ----------
  const el = (tag, props, kids) => {
    const e = document.createElement(tag);
    if (props) {
      for (const k of Object.keys(props)) {
        const v = props[k];
        if (k === 'text') e.textContent = v;
        else if (k === 'cls') e.className = v;
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else if (v !== null && v !== undefined && v !== false)
          e.setAttribute(k, v === true ? '' : v);
      }
    }
    if (kids) for (const c of kids) if (c) e.appendChild(c);
    return e;
  };
  const safeHref = (u) => {
    try {
      const url = new URL(String(u));
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (_e) {
      return null;
    }
  };
  const link = (href, label) =>
    el('a', { href, target: '_blank', rel: 'noopener noreferrer', text: label });
  /** Text with http(s) URLs turned into links; everything else stays a text node. */
  const richText = (text) => {
    const frag = document.createDocumentFragment();
    const re = /\bhttps?:\/\/[^\s<>"']+/g;
    let last = 0;
    let m = re.exec(text);
    while (m) {
      let url = m[0];
      const trail = /[.,;:!?)\]]+$/.exec(url);
      if (trail) url = url.slice(0, -trail[0].length);
      const href = safeHref(url);
      frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      frag.appendChild(href ? link(href, url) : document.createTextNode(url));
      last = m.index + url.length;
      m = re.exec(text);
    }
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  };
  const svg = (d) => {
    const ns = 'http://www.w3.org/2000/svg';
    const s = document.createElementNS(ns, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', d);
    s.appendChild(p);
    return s;
  };
  const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';
  const ICON_SEND = 'M3 20l18-8L3 4v6l12 2-12 2z';
  const ICON_CLIP =
    'M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.7-5.7L5.8 11.4a6 6 0 0 0 8.5 8.5l6.4-6.4';

  const CSS = `
:host{all:initial}
*{box-sizing:border-box}
.w{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2937}
button,textarea{font:inherit}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;background:#0b5cab;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);display:flex;align-items:center;justify-content:center}
.launcher svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:4px;right:4px;width:14px;height:14px;border-radius:50%;background:#dc2626;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:92px;z-index:2147483001;width:370px;height:580px;max-height:calc(100vh - 112px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}
[hidden]{display:none!important}
.head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#0b5cab;color:#fff}
.head div{flex:1;min-width:0}
.head h2{margin:0;font-size:16px;font-weight:600}
.head p{margin:0;font-size:12px;opacity:.9}
.head button{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:6px;min-width:36px;height:36px;cursor:pointer;font-weight:600}
.close{font-size:22px;line-height:1}
.log{flex:1;overflow-y:auto;padding:12px;background:#f3f4f6;display:flex;flex-direction:column;gap:8px}
.msg{max-width:85%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.bot{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:4px}
.me{align-self:flex-end;background:#0b5cab;color:#fff;border-bottom-right-radius:4px}
.me a{color:#fff}
.bot a{color:#0b5cab}
.failed{background:#fee2e2;color:#7f1d1d}
.note{align-self:center;font-size:13px;color:#4b5563;text-align:center}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.choices{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start;max-width:95%}
.choices button{background:#fff;color:#0b5cab;border:1px solid #0b5cab;border-radius:16px;padding:6px 12px;cursor:pointer;min-height:36px}
.choices button:hover{background:#e8f0fb}
.choices button:disabled{color:#6b7280;border-color:#d1d5db;cursor:default;background:#f9fafb}
.why{font-size:13px;color:#374151;align-self:flex-start;max-width:85%}
.typing{padding:4px 14px;font-size:13px;color:#4b5563;background:#f3f4f6}
.typing i{display:inline-block;width:6px;height:6px;margin-right:3px;border-radius:50%;background:#6b7280;animation:b 1s infinite}
.typing i:nth-child(2){animation-delay:.2s}.typing i:nth-child(3){animation-delay:.4s}
@keyframes b{0%,80%,100%{opacity:.3}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.typing i{animation:none}}
.status{font-size:13px;color:#92400e;background:#fffbeb;padding:0 12px}
.status:empty{display:none}
.status:not(:empty){padding:4px 12px}
form{display:flex;gap:6px;align-items:flex-end;padding:8px;border-top:1px solid #e5e7eb;background:#fff}
textarea{flex:1;resize:none;border:1px solid #9ca3af;border-radius:8px;padding:8px;min-height:40px;max-height:120px;color:#111827}
form button{width:40px;height:40px;border-radius:8px;border:0;cursor:pointer;display:flex;align-items:center;justify-content:center}
form svg{width:22px;height:22px}
.send{background:#0b5cab}.send svg{fill:#fff}
.attach{background:#eef2f7}.attach svg{fill:none;stroke:#374151;stroke-width:2}
@media (max-width:480px){.panel{inset:0;width:100%;height:100%;max-height:none;border-radius:0}.launcher{right:14px;bottom:14px}}
`;

  // ---------- build the widget ----------
  const host = el('div', { id: 'suara-webchat' });
  const root = host.attachShadow({ mode: 'open' });
  root.appendChild(el('style', { text: CSS }));

  const badge = el('span', { cls: 'badge', hidden: true });
  const launcher = el('button', {
    type: 'button',
    cls: 'launcher',
    'aria-expanded': 'false',
    'aria-controls': 'suara-panel',
    'aria-haspopup': 'dialog',
  });
  launcher.appendChild(svg(ICON_CHAT));
  launcher.appendChild(badge);

  const title = el('h2', { id: 'suara-title' });
  const subtitle = el('p');
  const langBtn = el('button', { type: 'button', cls: 'lang', lang: 'en' });
  const closeBtn = el('button', { type: 'button', cls: 'close', text: '×' });
  const log = el('div', { cls: 'log', role: 'log', 'aria-live': 'polite', tabindex: '0' });
  const typing = el('div', { cls: 'typing', hidden: true }, [el('i'), el('i'), el('i')]);
  const typingText = el('span');
  typing.appendChild(typingText);
  const status = el('div', { cls: 'status', role: 'status' });
  const fileInput = el('input', {
    type: 'file',
    accept: PHOTO_TYPES.join(','),
    hidden: true,
    tabindex: '-1',
  });
  const attachBtn = el('button', { type: 'button', cls: 'attach' });
  attachBtn.appendChild(svg(ICON_CLIP));
  const input = el('textarea', { rows: '1', maxlength: String(MAX_TEXT), autocomplete: 'off' });
  const sendBtn = el('button', { type: 'submit', cls: 'send' });
  sendBtn.appendChild(svg(ICON_SEND));
  const form = el('form', { novalidate: true }, [attachBtn, fileInput, input, sendBtn]);
  const panel = el(
    'div',
    {
      cls: 'panel',
      id: 'suara-panel',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 'suara-title',
      hidden: true,
    },
    [
      el('div', { cls: 'head' }, [el('div', null, [title, subtitle]), langBtn, closeBtn]),
      log,
      typing,
      status,
      form,
    ],
  );
  const intro = el('div', { cls: 'msg bot' });
  log.appendChild(intro);
  root.appendChild(el('div', { cls: 'w' }, [launcher, panel]));

  let unread = false;
  const applyTexts = () => {
    launcher.setAttribute('aria-label', t(unread ? 'openUnread' : 'open'));
    title.textContent = attr('data-title') || t('title');
    subtitle.textContent = t('subtitle');
    langBtn.textContent = t('lang');
    langBtn.setAttribute('aria-label', t('langLabel'));
    closeBtn.setAttribute('aria-label', t('close'));
    log.setAttribute('aria-label', t('log'));
    intro.textContent = t('intro');
    typingText.textContent = t('typing');
    attachBtn.setAttribute('aria-label', t('attach'));
    attachBtn.title = t('attach');
    input.setAttribute('aria-label', t('input'));
    input.placeholder = t('placeholder');
    sendBtn.setAttribute('aria-label', t('send'));
    sendBtn.title = t('send');
    panel.setAttribute('lang', lang);
  };
  applyTexts();

  // ---------- rendering ----------
  const scrollDown = () => {
    log.scrollTop = log.scrollHeight;
  };
  const bubble = (who, content) => {
    const b = el('div', { cls: `msg ${who}` }, [
      el('span', { cls: 'sr', text: `${t(who === 'me' ? 'you' : 'bot')}: ` }),
    ]);
    b.appendChild(content);
    log.appendChild(b);
    scrollDown();
    return b;
  };
  const note = (text) => {
    log.appendChild(el('div', { cls: 'note', text }));
    scrollDown();
  };
  const disableChoices = () => {
    for (const b of log.querySelectorAll('.choices button')) b.disabled = true;
  };
  let typingTimer = 0;
  const showTyping = (on) => {
    clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) typingTimer = setTimeout(() => showTyping(false), 20000);
  };
  const setUnread = (on) => {
    unread = on;
    badge.hidden = !on;
    applyTexts();
  };

  /** value → title of every choice seen, so a replayed button press shows its title. */
  const titles = Object.create(null); // no inherited keys: a value "constructor" is just a value
  const isObj = (v) => v !== null && typeof v === 'object';
  const str = (v) => (typeof v === 'string' ? v : '');

  const renderBot = (a, live) => {
    showTyping(false);
    const text = str(a.text);
    const cd = isObj(a.channelData) ? a.channelData : {};
    const frag = richText(text);
    if (isObj(cd.link)) {
      const href = safeHref(cd.link.url);
      if (href) {
        frag.appendChild(document.createTextNode('\n'));
        frag.appendChild(link(href, str(cd.link.title) || href));
      }
    }
    if (text || frag.childNodes.length > 1) bubble('bot', frag);
    const sa = isObj(a.suggestedActions) && Array.isArray(a.suggestedActions.actions);
    const actions = sa ? a.suggestedActions.actions.filter(isObj) : [];
    if (actions.length) {
      disableChoices();
      const row = el('div', { cls: 'choices', role: 'group' });
      for (const act of actions) {
        const label = str(act.title) || str(act.value);
        const value = typeof act.value === 'string' ? act.value : label;
        titles[value] = label;
        row.appendChild(
          el('button', { type: 'button', text: label, onclick: () => choose(label, value) }),
        );
      }
      log.appendChild(row);
    }
    if (cd.requestLocation === true) {
      log.appendChild(el('div', { cls: 'why', text: t('locationWhy') }));
      log.appendChild(
        el('div', { cls: 'choices' }, [
          el('button', { type: 'button', text: t('location'), onclick: shareLocation }),
        ]),
      );
    }
    scrollDown();
    if (live && panel.hidden) setUnread(true);
  };

  const ownLabel = (a) => {
    const cd = isObj(a.channelData) ? a.channelData : {};
    const text = str(a.text);
    if (cd.postBack && titles[text]) return titles[text];
    if (text) return text;
    const ents = Array.isArray(a.entities) ? a.entities : [];
    if (ents.some((e) => isObj(e) && e.type === 'GeoCoordinates')) return t('locationShared');
    const att = Array.isArray(a.attachments) ? a.attachments.filter(isObj) : [];
    if (att.length) return str(att[0].name) ? `${t('photo')}: ${att[0].name}` : t('photo');
    return '';
  };

  // ---------- Direct Line client ----------
  let conv = null; // {id, token}
  let watermark = typeof store.watermark === 'string' ? store.watermark : null;
  const seen = new Set();
  /** Messages rendered locally and not yet matched with their echo from the server. */
  const pending = [];

  const http = (method, path, body, token) => {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload = body;
    if (body && !(body instanceof FormData)) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(API + path, { method, headers, body: payload, credentials: 'omit' }).then((res) =>
      res.text().then((txt) => {
        let json = {};
        try {
          json = txt ? JSON.parse(txt) : {};
        } catch (_e) {
          json = {};
        }
        if (!res.ok) {
          const err = new Error(`HTTP ${res.status}`);
          err.status = res.status;
          throw err;
        }
        return isObj(json) ? json : {};
      }),
    );
  };

  const gone = (e) => Boolean(e) && (e.status === 401 || e.status === 403 || e.status === 404);
  let refreshTimer = 0;
  const keep = (r) => {
    if (typeof r.token !== 'string' || !(r.conversationId || conv)) throw new Error('no token');
    const ttl = Math.max(60, Number(r.expires_in) || 1800);
    conv = { id: String(r.conversationId || conv.id), token: r.token };
    store.conversationId = conv.id;
    store.token = conv.token;
    store.expiresAt = Date.now() + ttl * 1000;
    if (str(r.resume_token)) store.resume = r.resume_token;
    save();
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(timedRefresh, Math.min(ttl * 500, 2147483000));
  };
  // An expired token (a tab asleep, a visitor back days later) is replaced with the resume token,
  // so the citizen gets their own conversation back, with the updates staff sent meanwhile.
  const refresh = () =>
    http('POST', '/tokens/refresh', null, conv.token)
      .catch((e) => {
        if (!gone(e) || !str(store.resume)) throw e;
        return http('POST', '/tokens/resume', null, store.resume);
      })
      .then(keep);
  // One renewal at a time: the timer, the stream and polling may all find the token refused.
  let renewing = null;
  const renew = () => {
    if (!renewing) renewing = refresh().finally(() => (renewing = null));
    return renewing;
  };
  const timedRefresh = () => {
    if (!conv) return;
    renew().catch((e) => {
      if (gone(e)) reset();
      else refreshTimer = setTimeout(timedRefresh, 30000);
    });
  };
  // A request refused for its token (401/403): renew the token and try again; a new conversation
  // only when renewing fails too, or keeps not helping.
  const refused = (e) => Boolean(e) && (e.status === 401 || e.status === 403);
  let recoveries = 0;
  const recover = (next) => {
    if (recoveries++ >= 2) return reset();
    return renew().then(next, (e) => (gone(e) ? reset() : setTimeout(next, backoff())));
  };
  // Timers sleep in background tabs: back in view, refresh a token that is close to expiry.
  document.addEventListener('visibilitychange', () => {
    if (conv && !document.hidden && Number(store.expiresAt) - Date.now() < 300000) timedRefresh();
  });
  const forget = () => {
    clearTimeout(refreshTimer);
    conv = null;
    watermark = null;
    delete store.conversationId;
    delete store.token;
    delete store.expiresAt;
    delete store.resume;
    delete store.watermark;
    save();
  };

  const handleSet = (set, live) => {
    if (!isObj(set)) return;
    const acts = Array.isArray(set.activities) ? set.activities : [];
    for (const a of acts) {
      if (!isObj(a)) continue;
      const id = typeof a.id === 'string' ? a.id : null;
      if (id) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      const from = isObj(a.from) ? a.from : {};
      if (from.id === USER) {
        const label = ownLabel(a);
        const i = pending.findIndex(
          (p) => (id !== null && p.id === id) || (p.id === null && p.key === label),
        );
        if (i >= 0) {
          pending.splice(i, 1);
          continue;
        }
        if (label) bubble('me', document.createTextNode(label));
        disableChoices();
      } else if (a.type === 'typing') {
        if (live) showTyping(true);
      } else if (a.type === 'message') {
        renderBot(a, live);
      }
    }
    if (typeof set.watermark === 'string' || typeof set.watermark === 'number') {
      watermark = String(set.watermark);
      store.watermark = watermark;
      save();
    }
  };

  // Transport: WebSocket first; after repeated failures, polling GET /activities.
  let ws = null;
  let wsFailures = 0;
  let polling = false;
  let pollTimer = 0;
  let retry = 0;
  const wm = () => (watermark === null ? '' : `?watermark=${encodeURIComponent(watermark)}`);

  const connect = (streamUrl) => {
    if (!window.WebSocket || !streamUrl || wsFailures >= 2) return startPolling();
    let opened = false;
    let sock;
    try {
      sock = new WebSocket(streamUrl);
    } catch (_e) {
      wsFailures = 2;
      return startPolling();
    }
    ws = sock;
    sock.onopen = () => {
      opened = true;
      wsFailures = 0;
      retry = 0;
      status.textContent = '';
    };
    sock.onmessage = (ev) => {
      if (typeof ev.data !== 'string' || !ev.data.trim()) return; // keep-alive
      try {
        handleSet(JSON.parse(ev.data), true);
      } catch (_e) {
        /* not JSON: ignore */
      }
    };
    sock.onclose = () => {
      if (ws !== sock || !conv) return;
      ws = null;
      if (!opened) wsFailures++;
      status.textContent = t('offline');
      setTimeout(reconnect, backoff());
    };
  };
  const backoff = () => Math.min(30000, 1000 * 2 ** Math.min(retry++, 5));
  const reconnect = () => {
    if (!conv) return;
    http('GET', `/conversations/${encodeURIComponent(conv.id)}${wm()}`, null, conv.token).then(
      (r) => {
        recoveries = 0;
        if (typeof r.token === 'string') {
          conv.token = r.token;
          store.token = r.token;
          save();
        }
        connect(typeof r.streamUrl === 'string' ? r.streamUrl : '');
      },
      (e) => {
        if (refused(e)) return recover(reconnect);
        if (gone(e)) return reset();
        setTimeout(reconnect, backoff());
      },
    );
  };
  const startPolling = () => {
    if (polling) return;
    polling = true;
    const tick = () => {
      if (!conv) {
        polling = false;
        return;
      }
      const path = `/conversations/${encodeURIComponent(conv.id)}/activities${wm()}`;
      http('GET', path, null, conv.token).then(
        (set) => {
          retry = 0;
          recoveries = 0;
          status.textContent = '';
          handleSet(set, true);
          pollTimer = setTimeout(tick, panel.hidden ? 5000 : 1500);
        },
        (e) => {
          if (refused(e)) return recover(tick);
          if (gone(e)) {
            polling = false;
            return reset();
          }
          status.textContent = t('offline');
          pollTimer = setTimeout(tick, backoff());
        },
      );
    };
    tick();
  };

  const start = () =>
    http('POST', '/tokens/generate', { user: { id: USER } }).then((g) =>
      http('POST', '/conversations', null, g.token).then((c) => {
        keep(c);
        connect(str(c.streamUrl));
      }),
    );
  const resume = () => {
    conv = { id: String(store.conversationId), token: String(store.token) };
    // Fresh token, then the full history (the page was reloaded), then the stream from the watermark.
    return renew()
      .then(() => {
        watermark = null;
        const path = `/conversations/${encodeURIComponent(conv.id)}/activities`;
        return http('GET', path, null, conv.token);
      })
      .then(
        (set) => {
          handleSet(set, false);
          reconnect();
        },
        (e) => {
          if (!gone(e)) throw e;
          forget();
          return start();
        },
      );
  };
  let ready = null;
  const reset = () => {
    forget();
    if (ws) ws.close();
    ws = null;
    clearTimeout(pollTimer);
    polling = false;
    ready = null;
    return ensure();
  };
  const ensure = () => {
    if (ready) return ready;
    const fresh =
      typeof store.conversationId === 'string' &&
      typeof store.token === 'string' &&
      (Number(store.expiresAt) > Date.now() + 5000 || typeof store.resume === 'string');
    if (!fresh) forget();
    status.textContent = t('connecting');
    ready = (fresh ? resume() : start()).then(
      () => {
        if (status.textContent === t('connecting')) status.textContent = '';
      },
      (e) => {
        ready = null;
        status.textContent = t('offline');
        // Try again while the citizen is looking at the panel (backoff up to 30 s).
        setTimeout(() => {
          if (!panel.hidden && !ready) ensure().catch(() => {});
        }, backoff());
        throw e;
      },
    );
    return ready;
  };

  // ---------- sending ----------
  const post = (activity, label, bubbleEl) => {
    const entry = { id: null, key: label };
    pending.push(entry);
    disableChoices();
    const fail = () => {
      const i = pending.indexOf(entry);
      if (i >= 0) pending.splice(i, 1);
      bubbleEl.classList.add('failed');
      bubbleEl.appendChild(el('span', { cls: 'note', text: ` — ${t('failed')}` }));
    };
    return ensure()
      .then(() =>
        http(
          'POST',
          `/conversations/${encodeURIComponent(conv.id)}/activities`,
          Object.assign(
            { from: { id: USER }, locale: lang === 'en' ? 'en-US' : 'id-ID' },
            activity,
          ),
          conv.token,
        ),
      )
      .then((r) => {
        const id = str(r.id);
        if (!id) return;
        if (seen.has(id)) {
          const i = pending.indexOf(entry);
          if (i >= 0) pending.splice(i, 1);
        } else {
          entry.id = id;
        }
      })
      .catch(fail);
  };
  const sendText = (text) => {
    const b = bubble('me', document.createTextNode(text));
    return post({ type: 'message', text }, text, b);
  };
  const choose = (label, value) => {
    input.focus(); // the pressed button is about to be disabled: keep focus in the panel
    const b = bubble('me', document.createTextNode(label));
    return post(
      { type: 'message', text: value, channelData: { postBack: true } },
      titles[value] || label,
      b,
    );
  };
  function shareLocation() {
    input.focus();
    if (!navigator.geolocation) return note(t('locationNone'));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const b = bubble('me', document.createTextNode(t('locationShared')));
        post(
          {
            type: 'message',
            entities: [
              {
                type: 'GeoCoordinates',
                latitude: pos.coords.latitude,
                longitude: pos.coords.longitude,
              },
            ],
          },
          t('locationShared'),
          b,
        );
      },
      () => note(t('locationDenied')),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  }
  const sendPhoto = (file) => {
    if (PHOTO_TYPES.indexOf(file.type) < 0) return note(t('photoType'));
    if (file.size > MAX_PHOTO) return note(t('photoTooBig'));
    const label = `${t('photo')}: ${file.name}`;
    const b = bubble('me', document.createTextNode(label));
    const entry = { id: null, key: label };
    pending.push(entry);
    disableChoices();
    ensure()
      .then(() => {
        const fd = new FormData();
        fd.append('file', file, file.name);
        const q = `?userId=${encodeURIComponent(USER)}`;
        return http(
          'POST',
          `/conversations/${encodeURIComponent(conv.id)}/upload${q}`,
          fd,
          conv.token,
        );
      })
      .then((r) => {
        if (str(r.id)) entry.id = str(r.id);
      })
      .catch(() => {
        const i = pending.indexOf(entry);
        if (i >= 0) pending.splice(i, 1); // splice(-1) would drop another message's entry
        b.classList.add('failed');
        b.appendChild(el('span', { cls: 'note', text: ` — ${t('failed')}` }));
      });
  };

  // ---------- open/close, keyboard ----------
  const focusables = () =>
    Array.from(
      panel.querySelectorAll('button:not([disabled]),textarea,a[href],[tabindex="0"]'),
    ).filter((e) => e.getClientRects().length > 0);
  const open = (restoring) => {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    setUnread(false);
    store.open = true;
    save();
    if (restoring !== true) input.focus();
    scrollDown();
    ensure().catch(() => {});
  };
  const close = () => {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    store.open = false;
    save();
    launcher.focus();
  };
  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  closeBtn.addEventListener('click', close);
  langBtn.addEventListener('click', () => {
    lang = lang === 'id' ? 'en' : 'id';
    store.lang = lang;
    save();
    applyTexts();
  });
  panel.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      close();
      return;
    }
    if (ev.key !== 'Tab') return;
    const list = focusables();
    if (!list.length) return;
    const i = list.indexOf(root.activeElement);
    const last = list.length - 1;
    if (ev.shiftKey && i <= 0) {
      ev.preventDefault();
      list[last].focus();
    } else if (!ev.shiftKey && (i === last || i < 0)) {
      ev.preventDefault();
      list[0].focus();
    }
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    sendText(text.slice(0, MAX_TEXT));
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit ? form.requestSubmit() : sendBtn.click();
    }
  });
  attachBtn.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const f = fileInput.files ? fileInput.files[0] : null;
    fileInput.value = '';
    if (f) sendPhoto(f);
  });

  const mount = () => {
    document.body.appendChild(host);
    // A returning citizen: reconnect so status updates arrive (badge when closed).
    if (typeof store.conversationId === 'string') ensure().catch(() => {});
    if (store.open === true) open(true);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
  save();
})();
