import { escapeHtml } from '../../../src/http/html';

/**
 * The demo page: a plain mock municipal site ("Pemerintah Kota Contoh") embedding the widget
 * with `data-suara-url` set to `origin` (the address the browser used).
 */
export function demoPage(origin: string): string {
  const o = escapeHtml(origin);
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pemerintah Kota Contoh — Layanan Pengaduan</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f3f4f6;line-height:1.5}
header{background:#7f1d1d;color:#fff;padding:1rem 1.5rem}
header h1{margin:0;font-size:1.4rem}
header p{margin:.2rem 0 0;opacity:.9}
nav{background:#991b1b;padding:.4rem 1.5rem}
nav a{color:#fff;margin-right:1rem;text-decoration:none}
main{max-width:760px;margin:1.5rem auto;padding:0 1rem}
.card{background:#fff;border-radius:8px;padding:1rem 1.25rem;margin-bottom:1rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.note{background:#fef3c7;border-left:4px solid #d97706}
footer{text-align:center;color:#6b7280;font-size:.85rem;padding:2rem 1rem}
</style>
</head>
<body>
<header>
<h1>Pemerintah Kota Contoh</h1>
<p>Layanan Pengaduan Masyarakat</p>
</header>
<nav aria-label="Menu utama"><a href="#layanan">Layanan</a><a href="#cara">Cara melapor</a><a href="#kontak">Kontak</a></nav>
<main>
<section class="card note">
<strong>Halaman demo.</strong> Situs ini hanya contoh untuk mencoba Suara; bukan situs pemerintah sungguhan.
<br><span lang="en">This is a demo page of a fictional city site, showing the Suara web chat.</span>
</section>
<section class="card" id="layanan">
<h2>Sampaikan pengaduan Anda</h2>
<p>Jalan rusak, lampu jalan mati, sampah menumpuk, layanan administrasi yang lambat? Laporkan kepada kami.
Setiap laporan mendapat nomor pelacakan (misalnya <code>ADU-7K3M9P</code>) dan diteruskan ke dinas yang berwenang.</p>
</section>
<section class="card" id="cara">
<h2>Cara melapor</h2>
<ol>
<li>Tekan tombol chat (ikon balon percakapan) di pojok kanan bawah.</li>
<li>Ceritakan masalahnya dengan kalimat biasa.</li>
<li>Jawab beberapa pertanyaan singkat, lalu simpan nomor pelacakan Anda.</li>
</ol>
<p lang="en">Press the chat button at the bottom right to file a report or check its status.</p>
</section>
<section class="card" id="kontak">
<h2>Kontak</h2>
<p>Balai Kota Contoh, Jalan Merdeka No. 1 · Senin–Jumat 08.00–16.00</p>
</section>
</main>
<footer>© Pemerintah Kota Contoh · Demo Suara</footer>
<script src="${o}/widget.js" data-suara-url="${o}" defer></script>
</body>
</html>
`;
}
