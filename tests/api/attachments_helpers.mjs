// Small real files for the attachment tests, made with the ffmpeg program (Debian's ffmpeg package),
// and multipart/form-data bodies built by hand (so a test controls every byte).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(os.tmpdir(), 'portico-files-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function ffmpeg(args, out) {
  const file = path.join(dir, out);
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(file);
}

/** A w x h JPEG test pattern; `noisy` makes it hard to compress (a large file). */
export function jpeg(w = 64, h = 48, { noisy = false } = {}) {
  const src = noisy ? `color=c=gray:size=${w}x${h}:rate=1,noise=alls=100:allf=t` : `testsrc=size=${w}x${h}:rate=1`;
  return ffmpeg(['-f', 'lavfi', '-i', src, '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', '-q:v', '2'],
    `p${w}x${h}${noisy ? 'n' : ''}.jpg`);
}

/** A w x h PNG test pattern. */
export function png(w = 32, h = 32) {
  return ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=${w}x${h}:rate=1`, '-frames:v', '1', '-f', 'image2', '-c:v', 'png'], `p${w}x${h}.png`);
}

/** A one-second MP4 (MPEG-4 part 2 video). */
export function mp4() {
  return ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=1', '-c:v', 'mpeg4', '-f', 'mp4'], 'v.mp4');
}

/** An APP1 EXIF segment: Orientation 6, DateTimeOriginal 2024-05-01 10:20:30 (+02:00), GPS latitude. */
export function exifSegment() {
  const t = [];
  const u16 = (v) => t.push(v & 255, v >> 8);
  const u32 = (v) => t.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);
  const entry = (tag, type, count, value) => { u16(tag); u16(type); u32(count); u32(value); };
  t.push(0x49, 0x49); u16(42); u32(8);
  u16(3); entry(0x0112, 3, 1, 6); entry(0x8769, 4, 1, 50); entry(0x8825, 4, 1, 108); u32(0); // IFD0 at 8 (42 bytes)
  u16(2); entry(0x9003, 2, 20, 80); entry(0x9011, 2, 7, 100); u32(0); // Exif IFD at 50 (30 bytes)
  for (const c of Buffer.from('2024:05:01 10:20:30\0')) t.push(c); // at 80
  for (const c of Buffer.from('+02:00\0\0')) t.push(c); // at 100 (8 bytes, 7 used)
  u16(2); entry(0x0001, 2, 2, 0x4e); entry(0x0002, 5, 3, 138); u32(0); // GPS IFD at 108 (30 bytes)
  for (const v of [51, 1, 30, 1, 26, 1]) u32(v); // at 138
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from(t)]);
  const len = app1.length + 2;
  return Buffer.concat([Buffer.from([0xff, 0xe1, len >> 8, len & 255]), app1]);
}

/** A JPEG with the EXIF segment above right after SOI. */
export function jpegWithExif(w = 64, h = 32) {
  const j = jpeg(w, h);
  return Buffer.concat([j.subarray(0, 2), exifSegment(), j.subarray(2)]);
}

/** A multipart/form-data body: parts = [{name, value} | {name, filename, type, data}]. */
export function multipart(parts, boundary = `----portico${Math.random().toString(16).slice(2)}`) {
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data ?? p.value ?? '', 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs (or PUTs) a file with optional fields through `client`. */
export function upload(client, urlPath, { data, filename = 'photo.jpg', type = 'image/jpeg', fields = {}, method = 'POST' }) {
  const parts = [{ name: 'file', filename, type, data }];
  for (const [name, value] of Object.entries(fields)) parts.push({ name, value });
  const m = multipart(parts);
  return client.request(method, urlPath, { body: m.body, headers: { 'content-type': m.contentType } });
}
