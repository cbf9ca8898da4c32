#include "media/media.h"

#include <magic.h>
#include <spawn.h>
#include <sys/wait.h>
#include <vips/vips.h>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
}

#include <fcntl.h>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <vector>

#include "core/crypto.h"
#include "core/error.h"

extern char** environ;

namespace portico::media {
namespace {

void InitVips() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("portico") != 0) throw Error::Internal("libvips failed to start");
    vips_cache_set_max(0);  // every upload is new: no operation cache
    vips_concurrency_set(1);
  });
}

/// libavformat alone: a video upload needs no libvips (starting it pages in its loaders, poppler,
/// ImageMagick, libheif: about 5 MB of the upload's peak RSS; bench/RESULTS.md, issue 9).
void InitAv() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

/// Owns a VipsImage reference.
struct Img {
  VipsImage* p = nullptr;
  Img() = default;
  Img(const Img&) = delete;
  Img& operator=(const Img&) = delete;
  ~Img() {
    if (p) g_object_unref(p);
  }
};

[[noreturn]] void Undecodable(const std::string& what) {
  std::string detail = vips_error_buffer();
  vips_error_clear();
  throw Error(ErrorCode::kInvalidInput, "The file does not decode as " + what + ".", detail);
}

std::string OutPath(const std::string& out_dir, const char* suffix) {
  return out_dir + "/media-" + RandomToken(9) + suffix;
}

/// Opens an image of `type` (header only: pixels are decoded when first needed). Sequential access
/// streams the pixels through a few scanlines of memory; random access (needed to rotate) decodes the
/// whole image into memory.
void Load(const std::string& path, const std::string& type, Img& img, bool sequential = false) {
  int rc = -1;
  const VipsAccess access = sequential ? VIPS_ACCESS_SEQUENTIAL : VIPS_ACCESS_RANDOM;
  if (type == "image/jpeg") {
    rc = vips_jpegload(path.c_str(), &img.p, "fail_on", VIPS_FAIL_ON_TRUNCATED, "access", access, nullptr);
  } else if (type == "image/png") {
    rc = vips_pngload(path.c_str(), &img.p, "fail_on", VIPS_FAIL_ON_TRUNCATED, "access", access, nullptr);
  } else if (type == "image/webp") {
    rc = vips_webpload(path.c_str(), &img.p, "fail_on", VIPS_FAIL_ON_TRUNCATED, "access", access, nullptr);
  } else if (type == "image/heic" || type == "image/heif") {
    rc = vips_heifload(path.c_str(), &img.p, "fail_on", VIPS_FAIL_ON_TRUNCATED, "access", access, nullptr);
  } else {
    throw Error(ErrorCode::kUnsupportedMediaType, "This image type is not accepted.");
  }
  if (rc != 0) Undecodable("an image of its type");
  // The megapixel guard reads only the header: no pixel has been decoded yet.
  const std::int64_t pixels = std::int64_t{vips_image_get_width(img.p)} * vips_image_get_height(img.p);
  if (pixels > kMaxPixels) {
    throw Error(ErrorCode::kInvalidInput, "The image has more than 50 megapixels.");
  }
}

std::string MetaString(VipsImage* img, const char* name) {
  const char* s = nullptr;
  if (vips_image_get_typeof(img, name) == 0 || vips_image_get_string(img, name, &s) != 0 || !s) return {};
  return s;
}

/// White background for images with alpha saved as JPEG.
void Flatten(Img& img) {
  if (!vips_image_hasalpha(img.p)) return;
  Img flat;
  VipsArrayDouble* bg = vips_array_double_newv(3, 255.0, 255.0, 255.0);
  int rc = vips_flatten(img.p, &flat.p, "background", bg, nullptr);
  vips_area_unref(VIPS_AREA(bg));
  if (rc != 0) Undecodable("an image");
  std::swap(img.p, flat.p);
}

}  // namespace

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kImage: return "image";
    case Kind::kVideo: return "video";
    case Kind::kDocument: return "document";
  }
  return "document";
}

std::string SniffType(const std::string& path) {
  // One libmagic handle for the process (handles are not thread-safe; each holds its own copy of the
  // magic database, about 8 MB, so one per worker thread would cost that many times over).
  static std::mutex mutex;
  static magic_t cookie = [] {
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS);
    if (m && magic_load(m, nullptr) != 0) {
      magic_close(m);
      m = nullptr;
    }
    // The head of a file decides its type; libmagic's default reads 7 MB per call.
    std::size_t bytes_max = 256 * 1024;
    if (m) magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes_max);
    return m;
  }();
  if (!cookie) throw Error::Internal("libmagic failed to load its database");
  std::lock_guard lock(mutex);
  const char* t = magic_file(cookie, path.c_str());
  if (!t) throw Error::Internal(std::string("libmagic: ") + (magic_error(cookie) ? magic_error(cookie) : "?"));
  return t;
}

std::optional<Classified> Classify(const std::string& t) {
  if (t == "image/jpeg" || t == "image/png" || t == "image/webp" || t == "image/heic" || t == "image/heif") {
    return Classified{t, Kind::kImage};
  }
  if (t == "video/mp4" || t == "video/quicktime" || t == "video/webm") return Classified{t, Kind::kVideo};
  if (t == "application/pdf" || t == "text/plain" || t == "text/csv") return Classified{t, Kind::kDocument};
  return std::nullopt;
}

std::optional<std::int64_t> ParseExifTime(const std::string& dt, const std::string& offset) {
  int Y, M, D, h, m, s;
  if (dt.size() < 19 || std::sscanf(dt.c_str(), "%4d:%2d:%2d %2d:%2d:%2d", &Y, &M, &D, &h, &m, &s) != 6) {
    return std::nullopt;
  }
  if (Y < 1900 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || s > 60) return std::nullopt;
  // Days from civil (H. Hinnant).
  int y = Y - (M <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (M + (M > 2 ? -3 : 9)) + 2) / 5 + D - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
  std::int64_t t = days * 86400 + h * 3600 + m * 60 + s;
  int oh = 0, om = 0;
  char sign = 0;
  if (offset.size() >= 6 && std::sscanf(offset.c_str(), "%c%2d:%2d", &sign, &oh, &om) == 3 &&
      (sign == '+' || sign == '-') && oh <= 14 && om < 60) {
    t -= (sign == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  }
  return t;
}

ImageResult ProcessImage(const std::string& path, const std::string& type, const std::string& out_dir) {
  InitVips();
  Img in;
  Load(path, type, in);
  ImageResult r;
  auto taken = MetaString(in.p, "exif-ifd2-DateTimeOriginal");
  if (!taken.empty()) r.taken_at = ParseExifTime(taken, MetaString(in.p, "exif-ifd2-OffsetTimeOriginal"));
  Img rot;
  if (vips_image_get_orientation(in.p) <= 1) {
    // Nothing to rotate: stream the pixels instead of holding the decoded image (36 MB at 12 MP).
    Img seq;
    Load(path, type, seq, true);
    std::swap(in.p, seq.p);
    rot.p = in.p;
    g_object_ref(rot.p);
  } else if (vips_autorot(in.p, &rot.p, nullptr) != 0) {
    Undecodable("an image");
  }
  r.width = vips_image_get_width(rot.p);
  r.height = vips_image_get_height(rot.p);
  int rc = 0;
  if (type == "image/png") {
    r.content_type = "image/png";
    r.stored_path = OutPath(out_dir, ".png");
    rc = vips_pngsave(rot.p, r.stored_path.c_str(), "strip", TRUE, nullptr);
  } else if (type == "image/webp") {
    r.content_type = "image/webp";
    r.stored_path = OutPath(out_dir, ".webp");
    rc = vips_webpsave(rot.p, r.stored_path.c_str(), "strip", TRUE, "Q", 90, nullptr);
  } else {
    r.content_type = "image/jpeg";
    r.stored_path = OutPath(out_dir, ".jpg");
    Flatten(rot);
    rc = vips_jpegsave(rot.p, r.stored_path.c_str(), "strip", TRUE, "Q", 90, nullptr);
  }
  if (rc != 0) {
    std::error_code ec;
    std::filesystem::remove(r.stored_path, ec);
    Undecodable("an image of its type");
  }
  // The thumbnail from the stored file (already rotated, without metadata), shrunk while loading.
  Img th;
  if (vips_thumbnail(r.stored_path.c_str(), &th.p, 320, "height", 320, "size", VIPS_SIZE_DOWN, nullptr) != 0) {
    Undecodable("an image");
  }
  Flatten(th);
  r.thumbnail_path = OutPath(out_dir, ".thumb.jpg");
  if (vips_jpegsave(th.p, r.thumbnail_path.c_str(), "strip", TRUE, "Q", 80, nullptr) != 0) Undecodable("an image");
  return r;
}

std::string ProcessLogo(const std::string& path, const std::string& type, const std::string& out_dir, int max_edge) {
  if (type != "image/png" && type != "image/jpeg" && type != "image/webp") {
    throw Error(ErrorCode::kUnsupportedMediaType, "A logo must be a PNG, JPEG or WebP image.");
  }
  InitVips();
  Img in;
  Load(path, type, in);
  Img rot;
  if (vips_autorot(in.p, &rot.p, nullptr) != 0) Undecodable("an image");
  Img th;
  if (vips_thumbnail_image(rot.p, &th.p, max_edge, "height", max_edge, "size", VIPS_SIZE_DOWN, nullptr) != 0) {
    Undecodable("an image");
  }
  std::string out = OutPath(out_dir, ".png");
  if (vips_pngsave(th.p, out.c_str(), "strip", TRUE, nullptr) != 0) Undecodable("an image");
  return out;
}

VideoResult ProbeVideo(const std::string& path, const std::string& type, const std::string& out_dir) {
  InitAv();
  const bool webm = type == "video/webm";
  const AVInputFormat* demuxer = av_find_input_format(webm ? "matroska" : "mov");
  AVFormatContext* fmt = nullptr;
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "protocol_whitelist", "file", 0);
  const std::string url = "file:" + path;
  int rc = avformat_open_input(&fmt, url.c_str(), demuxer, &opts);
  av_dict_free(&opts);
  if (rc < 0) throw Error(ErrorCode::kInvalidInput, "The file does not read as a video.");
  struct Closer {
    AVFormatContext** f;
    ~Closer() { avformat_close_input(f); }
  } closer{&fmt};
  if (avformat_find_stream_info(fmt, nullptr) < 0) throw Error(ErrorCode::kInvalidInput, "The file does not read as a video.");
  int idx = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (idx < 0) throw Error(ErrorCode::kInvalidInput, "The file has no video stream.");
  const AVStream* st = fmt->streams[idx];
  VideoResult r;
  r.width = st->codecpar->width;
  r.height = st->codecpar->height;
  if (r.width <= 0 || r.height <= 0) throw Error(ErrorCode::kInvalidInput, "The video has no picture size.");
  if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
    r.duration_seconds = static_cast<double>(fmt->duration) / AV_TIME_BASE;
  } else if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
    r.duration_seconds = static_cast<double>(st->duration) * av_q2d(st->time_base);
  }
  // Poster: one frame from the start, by the ffmpeg program (no shell; the demuxer forced as above).
  std::string poster = OutPath(out_dir, ".poster.jpg");
  std::vector<std::string> args = {"ffmpeg", "-nostdin", "-v", "error", "-protocol_whitelist", "file",
                                   "-f", webm ? "matroska" : "mov", "-i", url, "-frames:v", "1",
                                   "-vf", "scale=320:320:force_original_aspect_ratio=decrease", "-f", "image2",
                                   "-c:v", "mjpeg", "-y", poster};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  if (posix_spawnp(&pid, "ffmpeg", &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    std::error_code ec;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && std::filesystem::file_size(poster, ec) > 0 && !ec) {
      r.poster_path = poster;
    } else {
      std::filesystem::remove(poster, ec);
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  return r;
}

}  // namespace portico::media
