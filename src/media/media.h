// What an uploaded file is and what we make of it (PRODUCT.md "Photos, videos and documents", issue 9).
// The type comes from the bytes (libmagic), never from the name or the client's Content-Type; then the
// file is decoded for real: images with libvips (orientation applied, metadata stripped, a thumbnail),
// videos probed with libavformat (demuxer forced to the sniffed container, local files only) with a
// poster frame from the `ffmpeg` program when it is installed. Documents are stored as uploaded.
// Outputs are new files in `out_dir`; the caller removes them. Errors: Error(kInvalidInput) for bytes
// that do not decode as the type they announce or an image over 50 megapixels (checked from the header,
// before any pixel is decoded); Error(kUnsupportedMediaType) for a type outside the allow-list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace portico::media {

enum class Kind { kImage, kVideo, kDocument };
const char* KindName(Kind k);

/// The MIME type libmagic finds in the file's bytes ("image/png", "text/html", ...).
std::string SniffType(const std::string& path);

struct Classified {
  std::string content_type;  // as sniffed
  Kind kind;
};
/// The allow-list: JPEG, PNG, WebP, HEIC/HEIF images; MP4, QuickTime, WebM videos; PDF, plain text, CSV.
/// nullopt for anything else (HTML, SVG, ZIP, executables...).
std::optional<Classified> Classify(const std::string& sniffed);

constexpr std::int64_t kMaxPixels = 50'000'000;

struct ImageResult {
  std::string stored_path;   // re-encoded, without EXIF/GPS/XMP/maker notes, orientation applied
  std::string content_type;  // image/jpeg, image/png or image/webp (HEIC becomes JPEG)
  std::int64_t width = 0, height = 0;  // after orientation
  std::optional<std::int64_t> taken_at;  // DateTimeOriginal (+ OffsetTimeOriginal, else UTC), Unix seconds
  std::string thumbnail_path;          // JPEG, longest edge at most 320 px
};
ImageResult ProcessImage(const std::string& path, const std::string& content_type, const std::string& out_dir);

struct VideoResult {
  std::int64_t width = 0, height = 0;
  double duration_seconds = 0;
  std::optional<std::string> poster_path;  // JPEG at most 320 px, when ffmpeg could make one
};
VideoResult ProbeVideo(const std::string& path, const std::string& content_type, const std::string& out_dir);

/// A logo: PNG, JPEG or WebP only (else kUnsupportedMediaType), scaled to at most `max_edge` px, stored as
/// PNG without metadata.
std::string ProcessLogo(const std::string& path, const std::string& content_type, const std::string& out_dir,
                        int max_edge = 512);

/// Parses EXIF "YYYY:MM:DD HH:MM:SS" (libvips may append " (...)") with an optional "+HH:MM" offset into
/// Unix seconds (UTC); nullopt when malformed.
std::optional<std::int64_t> ParseExifTime(const std::string& datetime, const std::string& offset);

}  // namespace portico::media
